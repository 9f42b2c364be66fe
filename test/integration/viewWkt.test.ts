/**
 * The `.prj` of a saved view, read back by GDAL: the WKT1 Tessera writes for the view's CRS is the
 * same CRS to `gdalsrsinfo` (its PROJ string, and the EPSG code it identifies).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { wktOfDefinition } from '../../src/renderer/view/map/wkt'
import { gdal, requireGdal } from '../helpers/gdal'

const dir = mkdtempSync(join(tmpdir(), 'tessera-wkt-'))

async function readByGdal(wkt: string): Promise<{ proj4: string; epsg: string }> {
  const file = join(dir, `crs-${Math.random().toString(36).slice(2)}.prj`)
  writeFileSync(file, wkt)
  const proj4 = (await gdal('gdalsrsinfo', ['-o', 'proj4', file])).trim()
  const epsg = (await gdal('gdalsrsinfo', ['-o', 'epsg', file])).trim()
  return { proj4, epsg }
}

const CASES: Array<{ title: string; definition: string; name: string; epsg: number | null; proj4: string; identified: string }> = [
  { title: 'WGS 84 / UTM zone 31N', definition: '+proj=utm +zone=31 +datum=WGS84 +units=m +no_defs', name: 'WGS 84 / UTM zone 31N', epsg: 32631, proj4: '+proj=utm +zone=31 +datum=WGS84 +units=m +no_defs', identified: 'EPSG:32631' },
  { title: 'WGS 84 (latitude/longitude)', definition: 'EPSG:4326', name: 'WGS 84', epsg: 4326, proj4: '+proj=longlat +datum=WGS84 +no_defs', identified: 'EPSG:4326' },
  { title: 'Web Mercator', definition: 'EPSG:3857', name: 'WGS 84 / Pseudo-Mercator', epsg: 3857, proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs', identified: 'EPSG:3857' },
  {
    title: 'Belgian Lambert 72, its datum shift stated',
    definition: '+proj=lcc +lat_0=90 +lon_0=4.36748666666667 +lat_1=51.1666672333333 +lat_2=49.8333339 +x_0=150000.013 +y_0=5400088.438 +ellps=intl +towgs84=-106.8686,52.2978,-103.7239,0.3366,-0.457,1.8422,-1.2747 +units=m +no_defs',
    name: 'Belge 1972 / Belgian Lambert 72',
    epsg: 31370,
    proj4: '+proj=lcc +lat_0=90 +lon_0=4.36748666666667 +lat_1=51.1666672333333 +lat_2=49.8333339 +x_0=150000.013 +y_0=5400088.438 +ellps=intl +towgs84=-106.8686,52.2978,-103.7239,0.3366,-0.457,1.8422,-1.2747 +units=m +no_defs',
    identified: 'EPSG:31370'
  },
  {
    title: 'a CRS of no code in US survey feet (Georgia East)',
    definition: '+proj=tmerc +lat_0=30 +lon_0=-82.1666666666667 +k=0.9999 +x_0=200000.0001016 +y_0=0 +datum=NAD83 +units=us-ft +no_defs',
    name: 'NAD83 / Georgia East (ftUS)',
    epsg: null,
    proj4: '+proj=tmerc +lat_0=30 +lon_0=-82.1666666666667 +k=0.9999 +x_0=200000.0001016 +y_0=0 +datum=NAD83 +units=us-ft +no_defs',
    identified: 'EPSG:2239'
  }
]

describe('the view\'s CRS as WKT, read back by GDAL', () => {
  for (const c of CASES) {
    it(`writes ${c.title} as GDAL reads it`, async () => {
      requireGdal()
      const wkt = wktOfDefinition(c.definition, c.name, c.epsg)
      expect(wkt).not.toBeNull()
      const read = await readByGdal(wkt!)
      expect(read.proj4).toBe(c.proj4)
      expect(read.epsg).toContain(c.identified)
    })
  }

  it('writes nothing for a projection it does not know, rather than a wrong one', () => {
    expect(wktOfDefinition('+proj=robin +lon_0=0 +datum=WGS84 +units=m +no_defs', 'World Robinson', null)).toBeNull()
  })
})
