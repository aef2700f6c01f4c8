// CORS for browser apps; the allowed origins come from CORS_ORIGINS ("*" or a comma-separated list).
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../app-env.ts';

export function corsFromEnv(): MiddlewareHandler<AppEnv> {
  return cors({
    origin: (origin, c) => {
      const allowed = ((c.env as Env).CORS_ORIGINS ?? '*').split(',').map((o) => o.trim());
      return allowed.includes('*') ? '*' : allowed.includes(origin) ? origin : null;
    },
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'X-Request-Id'],
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    exposeHeaders: ['X-Request-Id', 'X-Cache'],
    maxAge: 86_400,
  });
}
