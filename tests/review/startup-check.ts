import { measureEmbeddedStartup } from '../bench/startup.ts';
const t = performance.now();
const result = await measureEmbeddedStartup(1, (m) => console.log(m));
console.log(JSON.stringify(result), 'total', Math.round(performance.now() - t));
