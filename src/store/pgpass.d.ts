/** The pgpass module (node-postgres's own reader of ~/.pgpass and $PGPASSFILE) has no published types. */
declare module 'pgpass' {
  interface ConnectionInfo {
    host?: string;
    port?: number | string;
    database?: string | null;
    user?: string;
  }
  function pgpass(connInfo: ConnectionInfo, cb: (password: string | undefined) => void): void;
  export default pgpass;
}
