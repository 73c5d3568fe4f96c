// Validate Turtle files with shacl-engine (npm, MIT), SPARQL-based constraints included:
//   node shacl-engine.mjs SHAPES BASE FIXTURE...
// validates BASE together with each FIXTURE (one process for all: node starts slowly) and prints a JSON
// object, fixture → its validation report as N-Triples (tests/test_shacl_engines.py reads them).
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { Parser, Writer } from 'n3'
import rdf from 'rdf-ext'
import { Validator } from 'shacl-engine'
import { targetResolvers, validations } from 'shacl-engine/sparql.js'

function load (dataset, path) {
  const parser = new Parser({ baseIRI: pathToFileURL(path).href })
  for (const quad of parser.parse(readFileSync(path, 'utf8'))) {
    dataset.add(rdf.quad(quad.subject, quad.predicate, quad.object))
  }
}

const [shapesPath, basePath, ...fixtures] = process.argv.slice(2)
const shapes = rdf.dataset()
load(shapes, shapesPath)
// SHACL_CORE_ONLY=1: without the SPARQL plugin, as engines that run core SHACL only (rdf-validate-shacl)
const plugins = process.env.SHACL_CORE_ONLY === '1' ? {} : { targetResolvers, validations }
const validator = new Validator(shapes, { factory: rdf, ...plugins })
const reports = {}
for (const fixture of fixtures) {
  const data = rdf.dataset()
  load(data, basePath)
  load(data, fixture)
  const report = await validator.validate({ dataset: data })
  reports[fixture] = new Writer({ format: 'N-Triples' }).quadsToString([...report.dataset])
}
process.stdout.write(JSON.stringify(reports))
