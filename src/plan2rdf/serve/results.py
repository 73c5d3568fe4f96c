"""A worker's answer in the SPARQL 1.1 result formats (JSON, XML, CSV, TSV), and as query.Result.

JSON and XML carry every term with its type, language and datatype; CSV has the plain values and
TSV the terms in SPARQL/Turtle syntax, as the SPARQL 1.1 CSV and TSV Results specification says.
"""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

from plan2rdf.serve.worker import Answer, Term

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
# Also accepted in Accept for the format on the left.
ALSO_ACCEPTED = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples"}


def json_term(term: Term) -> dict[str, str]:
    if term[0] == "literal":
        value = {"type": "literal", "value": term[1]}
        if term[2]:
            value["xml:lang"] = term[2]
        elif term[3] and term[3] != XSD_STRING:
            value["datatype"] = term[3]
        return value
    return {"type": term[0], "value": term[1]}


def to_json(answer: Answer) -> str:
    if answer.kind == "ask":
        return json.dumps({"head": {}, "boolean": answer.boolean}) + "\n"
    bindings = [
        {c: json_term(t) for c, t in zip(answer.columns, row, strict=True) if t is not None} for row in answer.rows
    ]
    document = {"head": {"vars": answer.columns}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False) + "\n"


def to_xml(answer: Answer) -> str:
    ns = "http://www.w3.org/2005/sparql-results#"
    ElementTree.register_namespace("", ns)
    root = ElementTree.Element(f"{{{ns}}}sparql")
    head = ElementTree.SubElement(root, f"{{{ns}}}head")
    if answer.kind == "ask":
        ElementTree.SubElement(root, f"{{{ns}}}boolean").text = "true" if answer.boolean else "false"
    else:
        for c in answer.columns:
            ElementTree.SubElement(head, f"{{{ns}}}variable", name=c)
        results = ElementTree.SubElement(root, f"{{{ns}}}results")
        for row in answer.rows:
            result = ElementTree.SubElement(results, f"{{{ns}}}result")
            for c, t in zip(answer.columns, row, strict=True):
                if t is not None:
                    binding = ElementTree.SubElement(result, f"{{{ns}}}binding", name=c)
                    _xml_term(ElementTree.SubElement(binding, f"{{{ns}}}{_XML_KIND[t[0]]}"), t)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


_XML_KIND = {"uri": "uri", "bnode": "bnode", "literal": "literal"}


def _xml_term(element: ElementTree.Element, term: Term) -> None:
    element.text = term[1]
    if term[0] == "literal":
        if term[2]:
            element.set("{http://www.w3.org/XML/1998/namespace}lang", term[2])
        elif term[3] and term[3] != XSD_STRING:
            element.set("datatype", term[3])


def to_csv(answer: Answer) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if answer.kind == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if answer.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(answer.columns)
    writer.writerows(["" if t is None else t[1] for t in row] for row in answer.rows)
    return buffer.getvalue()


def tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if term[0] == "uri":
        return f"<{term[1]}>"
    if term[0] == "bnode":
        return f"_:{term[1]}"
    text = (
        term[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    if term[2]:
        return f'"{text}"@{term[2]}'
    if term[3] and term[3] != XSD_STRING:
        return f'"{text}"^^<{term[3]}>'
    return f'"{text}"'


def to_tsv(answer: Answer) -> str:
    if answer.kind == "ask":
        return "?_askResult\n" + ("true" if answer.boolean else "false") + "\n"
    lines = ["\t".join("?" + c for c in answer.columns)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in answer.rows]
    return "\n".join(lines) + "\n"


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}


def rdflib_term(term: Term | None):
    """A worker's term as the rdflib term plan2rdf.query's results are made of."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if term[0] == "uri":
        return URIRef(term[1])
    if term[0] == "bnode":
        return BNode(term[1])
    if term[2]:
        return Literal(term[1], lang=term[2])
    return Literal(term[1], datatype=URIRef(term[3]) if term[3] and term[3] != XSD_STRING else None)


def to_result(answer: Answer):
    """The answer as plan2rdf.query.Result, numbers canonical: the rows `plan2rdf query` prints."""
    from plan2rdf.query import Result, canonical

    return Result(list(answer.columns), [tuple(canonical(rdflib_term(t)) for t in row) for row in answer.rows])
