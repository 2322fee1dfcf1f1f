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

/** An island's code, added to the page after its first paint (src/shared/after-paint-chunk.ts). */
declare module 'after-paint:*';
