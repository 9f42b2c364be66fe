/**
 * Set CRS…'s host side (src/main/service/crsCatalog.ts): the EPSG registry searched by code and by
 * name, and a CRS given by hand described as a file's CRS is: its definition, the EPSG code it is
 * equivalent to, its name. The dialog's decision of what was typed is pure (crsInputKind).
 */
import { describe, expect, it } from 'vitest'
import proj4 from 'proj4'
import { describeCrs, searchCrs, MAX_CRS_MATCHES } from '../../src/main/service/crsCatalog'
import { crsInputKind } from '../../src/renderer/ui/SetCrsDialog'

describe('searchCrs', () => {
  it('finds a code by its number, the exact code first', async () => {
    const found = await searchCrs('2154')
    expect(found[0]).toMatchObject({ epsg: 2154 })
    expect(found[0]!.name).toMatch(/Lambert-93/)
    expect(found.every((m) => String(m.epsg).startsWith('2154'))).toBe(true)
    expect((await searchCrs('EPSG:31370'))[0]).toMatchObject({ epsg: 31370 })
  })

  it('finds codes by words of their name, in any case', async () => {
    const found = await searchCrs('belgian LAMBERT 72')
    expect(found.map((m) => m.epsg)).toContain(31370)
    expect((await searchCrs('georgia east ftus')).map((m) => m.epsg)).toContain(2239)
  })

  it('returns at most a page of matches, and none for nothing', async () => {
    expect((await searchCrs('utm')).length).toBe(MAX_CRS_MATCHES)
    expect(await searchCrs('   ')).toEqual([])
    expect(await searchCrs('no such crs anywhere')).toEqual([])
  })
})

describe('describeCrs', () => {
  it('describes an EPSG code with its definition and its registry name', async () => {
    const crs = await describeCrs('31370')
    expect(crs).toMatchObject({ id: 'EPSG:31370', epsg: 31370, source: 'manual' })
    expect(crs.name).toMatch(/Belgian Lambert 72/)
    // The definition places Brussels where GDAL does (gdaltransform EPSG:31370 → EPSG:4326).
    const [lon, lat] = proj4(crs.proj4!, 'EPSG:4326').forward([150000, 170000])
    expect(lon).toBeCloseTo(4.36875214090419, 6)
    expect(lat).toBeCloseTo(50.8404112831179, 6)
  })

  it('identifies the EPSG code of a PROJ string that is equivalent to one', async () => {
    const crs = await describeCrs('+proj=utm +zone=31 +datum=WGS84 +units=m +no_defs')
    expect(crs).toMatchObject({ id: 'EPSG:32631', epsg: 32631, source: 'manual' })
  })

  it('refuses what is not a CRS, naming it', async () => {
    await expect(describeCrs('not a crs')).rejects.toMatchObject({ code: 'bad-message', message: expect.stringContaining('not a crs') })
    await expect(describeCrs('EPSG:999999')).rejects.toMatchObject({ code: 'bad-message' })
    await expect(describeCrs('+proj=nonsense')).rejects.toMatchObject({ code: 'bad-message', message: expect.stringContaining('+proj=nonsense') })
  })
})

describe('crsInputKind', () => {
  it('takes PROJ strings and WKTs as definitions, anything else as a search', () => {
    expect(crsInputKind('+proj=longlat +datum=WGS84')).toBe('definition')
    expect(crsInputKind(' PROJCS["x",GEOGCS["y"]]')).toBe('definition')
    expect(crsInputKind('PROJCRS["x"]')).toBe('definition')
    expect(crsInputKind('2154')).toBe('search')
    expect(crsInputKind('lambert 93')).toBe('search')
    expect(crsInputKind('  ')).toBe('empty')
  })
})
