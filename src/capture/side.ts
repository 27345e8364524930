/** Which end of an HTTP/2 connection sent something: the client sends the preface. */
export type Side = 'client' | 'server';
