declare namespace App {
  interface Locals {
    /** The organisers' account of this request's console session, set by src/middleware.ts. */
    staff?: import('./console/console-store.ts').StaffAccount | null;
  }
}

/** The address of the header dialog's search code (src/search/header-search-chunk.ts). */
declare module 'virtual:header-search-url' {
  const url: string;
  export default url;
}

/** Adds the islands' code after the page's largest paint (src/shared/after-paint-chunk.ts). */
declare module 'virtual:after-paint-islands';
