/**
 * One HTTP(S) request with a deadline, trusting the system's certificate
 * authorities plus the bundle `SSL_CERT_FILE` names, as the Go-built Pulumi
 * plugins and curl do: the same variable then points every process of a
 * `pulumi up` at a registry with its own CA. Node's own fetch reads no such
 * variable, so this uses node:https directly.
 */
import { readFileSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpRequest {
  readonly method: "GET" | "HEAD" | "PUT" | "POST";
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  readonly timeoutMs?: number;
}

let extraCa: { readonly file: string | undefined; readonly ca: string[] | undefined } | undefined;

/** The CAs to trust: Node's roots, plus `SSL_CERT_FILE` when set (read once per file). */
function trustedCas(): string[] | undefined {
  const file = process.env["SSL_CERT_FILE"];
  if (extraCa === undefined || extraCa.file !== file) {
    extraCa = { file, ca: file === undefined || file === "" ? undefined : [...rootCertificates, readFileSync(file, "utf8")] };
  }
  return extraCa.ca;
}

/** Sends the request; rejects only when no answer came (refused, reset, deadline). */
export function send(req: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(req.url);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
  const headers = { ...req.headers, ...(body === undefined ? {} : { "content-length": String(body.length) }) };
  const timeout = req.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const options = { method: req.method, headers, timeout };
    const onAnswer = (res: import("node:http").IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
      });
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    };
    const ca = trustedCas();
    const client =
      url.protocol === "https:"
        ? httpsRequest(url, { ...options, ...(ca === undefined ? {} : { ca }) }, onAnswer)
        : httpRequest(url, options, onAnswer);
    client.on("timeout", () => client.destroy(new Error(`${req.method} ${url.origin}${url.pathname}: no answer within ${timeout} ms`)));
    client.on("error", reject);
    client.end(body);
  });
}
