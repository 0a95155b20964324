/** The five IPCC 2006 sectors and the top-level category code each one covers. */
export enum IpccSector {
  ENERGY = 'ENERGY',
  IPPU = 'IPPU',
  AFOLU = 'AFOLU',
  WASTE = 'WASTE',
  OTHER = 'OTHER',
}

export const IPCC_SECTOR_ROOT: Record<IpccSector, string> = {
  [IpccSector.ENERGY]: '1',
  [IpccSector.IPPU]: '2',
  [IpccSector.AFOLU]: '3',
  [IpccSector.WASTE]: '4',
  [IpccSector.OTHER]: '5',
};

/** True when an IPCC category code lies within the sector (e.g. `1.A.1.a` in ENERGY). */
export function categoryBelongsToSector(code: string, sector: IpccSector): boolean {
  const root = IPCC_SECTOR_ROOT[sector];
  return code === root || code.startsWith(`${root}.`);
}
