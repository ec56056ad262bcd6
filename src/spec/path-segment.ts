/** One step of a dotted spec path: a key or a list index. */
export type PathSegment = string | number;
