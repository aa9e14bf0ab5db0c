/* The shapes the widgets share through window.Portal (docs/assets/portal/), and Material's
   globals they use: for TypeScript's checkJs only (npm run lint), never shipped. */

/** What Portal.h and Portal.fill accept as children: strings become text nodes, never markup. */
type PortalKid = Node | string | number | boolean | null | undefined | PortalKid[];
type PortalAttrs = Record<string, string | number | boolean | null | undefined>;
/** A delegated handler gets the element carrying the data-action (a button, form, field, link). */
type PortalHandler = (target: any, event: Event) => unknown;

interface PortalUser { email: string; org?: string; roles: string[] }
/** keep: "Keep me signed in on this device" was ticked (the session is in localStorage too). */
interface PortalSession { id: string; access: string; refresh?: string; exp: number; user: PortalUser; keep?: boolean }
interface PortalConfig {
  apiUrl: string;
  cognito: { region?: string; endpoint?: string; clientId: string; userPoolId?: string };
}
/** contract.js, written by docs/hooks/widget_bundle.py from the backend's request schemas. */
interface PortalContract {
  tags: string[];
  statuses: string[];
  priorities: string[];
  views: string[];
  limits: { title: number; description: number; body: number; comment: number };
  patterns: { org: string; email: string; key: string };
  attachments: { maxMb: number; maxFiles: number; refused: string[]; images: string[] };
}
/** auth.js's client of Cognito's JSON API: (action, body) -> the answer; a refusal is thrown. */
type PortalCognito = (action: string, body: Record<string, unknown>) => Promise<any>;
/** A refusal of the API or of Cognito: the message is meant for the reader (plain words);
    detail is the API's own message, for a details element or the support team. */
interface PortalError extends Error { status?: number; retryAfter?: number; detail?: string }

interface PortalCore {
  contract: PortalContract;
  h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: PortalAttrs | null, ...kids: PortalKid[]): HTMLElementTagNameMap[K];
  add<E extends Element>(el: E, kids: PortalKid[]): E;
  fill<E extends Element>(el: E, ...kids: PortalKid[]): E;
  fresh(el: Element): HTMLDivElement;
  id(prefix: string): string;
  focus(el: ParentNode, ...selectors: string[]): void;
  on(el: Element, type: string, fn: (data?: any) => unknown): void;
  onUser(el: Element, fn: (user: PortalUser | null) => unknown): void;
  emit(type: string, data?: unknown): void;
  delegate(el: Element, handlers: Record<string, Record<string, PortalHandler>>): void;
  send(method: string, path: string, body?: object | null, headers?: Record<string, string>, signal?: AbortSignal): Promise<Response>;
  api(method: string, path: string, body?: object | null, headers?: Record<string, string>): Promise<any>;
  newKey(): string;
  loadConfig(): Promise<PortalConfig>;
  request(url: string | URL, options?: RequestInit): Promise<Response>;
  session(): PortalSession | null;
  setSession(next: PortalSession | null, shared?: boolean): void;
  user(): PortalUser | null;
  isSupport(): boolean;
  ago(iso: string): string;
  time(iso: string): HTMLTimeElement;
  badge(status: string): HTMLSpanElement;
  busy(text?: string): HTMLParagraphElement;
  note(text: string, kind?: string): HTMLParagraphElement;
  /** A refusal as an error note: its plain message, and the API's detail folded away. */
  problem(error: PortalError): HTMLParagraphElement;
  field(label: string, control: HTMLElement, hint?: string): HTMLDivElement;
  invalid(control: HTMLElement, message?: string | false | null): boolean;
  options(values: string[], selected?: string, all?: string): PortalKid[];
  siteUrl(path: string): string;
  pattern(name: keyof PortalContract["patterns"]): RegExp;
  widget(name: string, setUp: (root: HTMLElement) => void): void;
  signedOut(text?: string | null): HTMLParagraphElement;
  button(action: string, text: string, primary?: boolean, attrs?: PortalAttrs): HTMLButtonElement;
  signedInOnly(root: HTMLElement, text: string | null, build: (box: HTMLDivElement) => void): void;
}

/** Added by tickets.js (and ticketDetail by ticket-detail.js) for the other widget files. */
/** What a user typed in a form (data-action create, respond, update), kept by support.js. */
interface PortalDraft {
  has(name: string): boolean;
  clear(name?: string): void;
  watch(root: HTMLElement): void;
  restore(root: HTMLElement): void;
}
type PortalListState = Record<string, string>;
interface PortalTickets {
  ticketForm(root: HTMLElement, options: {
    agent?: boolean; onCreated?: (ticket: any) => void; suggest?: (title: string, box: HTMLElement) => void;
    draft?: PortalDraft; description?: string;
  }): void;
  ticketDetail?(root: HTMLElement, number: number, options?: { agent?: boolean; focus?: boolean; draft?: PortalDraft }): void;
  submit(text: string): HTMLButtonElement;
  tagList(tags: string[]): HTMLSpanElement;
  tagsField(selected: string[]): HTMLFieldSetElement;
  textField(label: string, name: string, value?: string, multiline?: boolean, hint?: string): HTMLDivElement;
  checkForm(form: HTMLFormElement): boolean;
  formValues(form: HTMLFormElement): Record<string, any>;
  liveChecks(root: HTMLElement): void;
  formError(form: HTMLFormElement, error: string | PortalError): void;
  working<T>(form: HTMLElement, fn: () => Promise<T>): Promise<T>;
  ticketUrl(number: number): string;
}

/** A file as the API lists it on a ticket or a message. */
interface PortalFile { id: string; filename: string; content_type: string; size: number }
/** Added by attachments.js: a form's file picker, and the files of a ticket or a message. */
interface PortalAttach {
  picker(): HTMLDivElement & { ids(): string[] };
  files(number: number, items?: PortalFile[]): HTMLUListElement | false;
}

interface Portal extends PortalCore {
  /** Set by the site build's core bundle (docs/hooks/widget_bundle.py), before portal.js runs:
      each widget's family bundles, in load order, for the widgets the core does not register. */
  bundles?: Record<string, string[]>;
  /** Added by auth.js: one silent token refresh; false when the session has ended. */
  refresh?: () => Promise<boolean>;
  tickets?: PortalTickets;
  /** Added by drafts.js: the drafts of the forms of one page and ticket (scope). */
  drafts?: (scope: string) => PortalDraft;
  attach?: PortalAttach;
}

interface Window {
  /** contract.js sets { contract } first (the core bundle adds bundles); portal.js replaces it
      with the whole core. */
  Portal: Portal;
  /** Material for MkDocs: emits the document on every page load, instant navigation included. */
  document$?: { subscribe(fn: (document: Document) => void): unknown };
}
