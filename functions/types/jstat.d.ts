// The part of jStat (no published types) that the statistics module uses. It is CommonJS: Node's ESM loader
// sees only a default export.
declare module 'jstat' {
  const jstat: {
    jStat: {
      normal: { cdf(x: number, mean: number, sd: number): number; inv(p: number, mean: number, sd: number): number };
      studentt: { cdf(x: number, dof: number): number };
    };
  };
  export default jstat;
}
