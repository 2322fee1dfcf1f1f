declare namespace App {
  interface Locals {
    /** The organisers' account of this request's console session, set by src/middleware.ts. */
    staff?: import('./console/console-store.ts').StaffAccount | null;
  }
}
