/** Starting and stopping the suite's loopback servers (HTTP, HTTPS, or a unix socket). */
import type { Server } from "node:net";

/** Listens on a free loopback port, or on `socketPath` when given. */
export async function listen(server: Server, socketPath?: string): Promise<void> {
  await new Promise<void>((resolve) => {
    if (socketPath === undefined) server.listen(0, "127.0.0.1", resolve);
    else server.listen(socketPath, resolve);
  });
}

/** Closes a server that may never have started. */
export async function close(server: Server | undefined): Promise<void> {
  await new Promise<void>((resolve) => {
    if (server === undefined) resolve();
    else
      server.close(() => {
        resolve();
      });
  });
}
