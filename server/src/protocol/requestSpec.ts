// Typed requests and notifications: a method name plus phantom parameter and result types, so the client and
// the server check both ends of every custom message against one declaration.

/** A typed request: the method name plus phantom parameter/result types checked on both sides. */
export interface RequestSpec<P, R> { readonly method: string; readonly __types?: (p: P) => R }
/** A typed notification. */
export interface NotificationSpec<P> { readonly method: string; readonly __types?: (p: P) => void }
