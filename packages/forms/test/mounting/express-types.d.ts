// The few parts of Express 4 the documented recipe uses (the workspace has
// Express without @types/express; a service would install those types).
declare module 'express' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';

  interface Request extends IncomingMessage {
    readonly protocol: string;
    readonly originalUrl: string;
    readonly method: string;
    get(name: string): string | undefined;
  }
  interface Response extends ServerResponse {
    status(code: number): Response;
    sendFile(path: string): void;
  }
  type NextFunction = (error?: unknown) => void;
  type RequestHandler = (request: Request, response: Response, next: NextFunction) => unknown;
  interface Application {
    (request: IncomingMessage, response: ServerResponse): void;
    use(path: string, ...handlers: unknown[]): Application;
    get(path: string, ...handlers: RequestHandler[]): Application;
    all(path: string | string[], ...handlers: RequestHandler[]): Application;
    listen(port: number, host: string, callback?: () => void): Server;
  }
  interface Express {
    (): Application;
    static(root: string): unknown;
  }
  const express: Express;
  export default express;
}
