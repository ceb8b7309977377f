/** How long cached project knowledge is trusted before the disk is checked again (milliseconds). */
let refreshMs = 1000;

export function getRefreshInterval(): number {
  return refreshMs;
}

/** Sets the refresh interval (tests use 0 to see every change at once). */
export function setRefreshInterval(ms: number): void {
  refreshMs = ms;
}
