import { pino, type Logger } from 'pino';

/** Structured JSON logs. Personal data is never logged: log ids, not values. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'civic-graph' } });
}
