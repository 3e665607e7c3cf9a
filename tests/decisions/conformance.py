"""The PDF/A-3b rules a validator applies that we can check with poppler and pyHanko's reader.

No PDF/A validator (veraPDF and the like) can be installed here, so these are the checks we can make
ourselves, on the sealed file, as an archive's ingest would:

- the header, the catalog's /Version and every declared extension agree with PDF 1.7, the base of PDF/A-3;
- the XMP packet is present, claims pdfaid:part 3, conformance B, and states the same title, author,
  subject, keywords, producer and creator tool as the document information dictionary;
- every font is embedded (pdffonts);
- the audit trail is an associated file: listed in the catalog's /AF and among the embedded files, with
  an /AFRelationship, a MIME subtype and a modification date;
- the document is tagged (pdfinfo: Tagged: yes), has a structure tree with a title, headings, paragraphs
  and tables with header cells (pdfinfo -struct), and the rendering's /Lang;
- every signature poppler can validate is valid (pdfsig), and the last one covers the whole file (a
  B-LTA document timestamp is beyond pdfsig: pyHanko's verification is what checks it).

NOT checked (a validator would): the content streams themselves (colour spaces against the output
intent, transparency groups, forbidden operators), the fonts' internals (widths agreeing with the
embedded programs, CIDSet/CharSet completeness, .notdef glyphs), the XMP against its schemas (value
types, extension schema declarations), file structure details (xref syntax, stream /Length, EOL rules),
annotation appearance rules, and whether the tags are right for assistive technology beyond their
presence (PDF/UA: alternative text for the QR code figure, the seal widget in the structure tree, the
reading order of the two-column closing).
"""

import io
import re
import xml.etree.ElementTree as ElementTree

from pyhanko.pdf_utils.reader import PdfFileReader

from tests.decisions.helpers import pdf_fonts, pdf_signatures, pdf_structure, pdf_summary

PART, CONFORMANCE, PDF_VERSION = "3", "B", "1.7"
# What every decision's structure holds: its title, section headings, paragraphs and tables with header cells.
STRUCTURE_TAGS = {"Document", "H1", "H2", "P", "Table", "THead", "TH", "TD"}
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
# Document information entry -> its XMP equivalent (ISO 19005-3, 6.6.2.3.1).
_INFO_TO_XMP = {
    "/Title": "{http://purl.org/dc/elements/1.1/}title",
    "/Author": "{http://purl.org/dc/elements/1.1/}creator",
    "/Subject": "{http://purl.org/dc/elements/1.1/}description",
    "/Keywords": "{http://ns.adobe.com/pdf/1.3/}Keywords",
    "/Producer": "{http://ns.adobe.com/pdf/1.3/}Producer",
    "/Creator": "{http://ns.adobe.com/xap/1.0/}CreatorTool",
}


def _xmp_properties(packet: bytes) -> dict[str, str]:
    """Every simple property of the packet, whether written as an attribute or as an element."""
    root = ElementTree.fromstring(packet.decode().split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    properties = {}
    for description in root.iter(f"{_RDF}Description"):
        properties.update({name: value for name, value in description.attrib.items() if not name.startswith(_RDF)})
        for element in description:
            item = element.find(f".//{_RDF}li")
            properties[element.tag] = (item.text if item is not None else element.text) or ""
    return properties


def _version_problems(data: bytes, reader: PdfFileReader) -> list[str]:
    problems = []
    header = data[:8].decode("latin-1")
    if header != f"%PDF-{PDF_VERSION}":
        problems.append(f"header is {header!r}")
    version = reader.root.get("/Version")
    if version is not None and str(version).lstrip("/") != PDF_VERSION:
        problems.append(f"catalog /Version is {version}")
    extensions = reader.root["/Extensions"] if "/Extensions" in reader.root else {}
    for name, extension in extensions.items():
        for entry in extension if isinstance(extension, list) else [extension]:
            if str(entry["/BaseVersion"]).lstrip("/") != PDF_VERSION:
                problems.append(f"extension {name} is based on PDF {entry['/BaseVersion']}")
    if f"PDF version:     {PDF_VERSION}" not in pdf_summary(data):
        problems.append("pdfinfo reports another PDF version")
    return problems


def _metadata_problems(reader: PdfFileReader) -> list[str]:
    if "/Metadata" not in reader.root:
        return ["no XMP metadata stream"]
    xmp = _xmp_properties(reader.root["/Metadata"].data)
    problems = []
    part = xmp.get("{http://www.aiim.org/pdfa/ns/id/}part")
    conformance = xmp.get("{http://www.aiim.org/pdfa/ns/id/}conformance")
    if (part, conformance) != (PART, CONFORMANCE):
        problems.append(f"XMP claims PDF/A part {part} conformance {conformance}")
    info = reader.trailer["/Info"] if "/Info" in reader.trailer else {}
    for key, xmp_name in _INFO_TO_XMP.items():
        if key in info and str(info[key]) != xmp.get(xmp_name):
            problems.append(f"information {key} {str(info[key])!r} differs from XMP {xmp.get(xmp_name)!r}")
    return problems


def _associated_file_problems(reader: PdfFileReader) -> list[str]:
    root = reader.root
    references = list(root.raw_get("/AF")) if "/AF" in root else []
    names_tree = root["/Names"]["/EmbeddedFiles"] if "/Names" in root and "/EmbeddedFiles" in root["/Names"] else {}
    embedded = {reference.idnum for reference in list(names_tree.raw_get("/Names"))[1::2]} if names_tree else set()
    filespecs = [reference.get_object() for reference in references]
    names = [str(filespec["/UF"] if "/UF" in filespec else filespec["/F"]) for filespec in filespecs]
    problems = [] if "audit-trail.json" in names else [f"associated files are {names}"]
    for reference, filespec in zip(references, filespecs, strict=True):
        stream = filespec["/EF"]["/F"]
        if "/AFRelationship" not in filespec:
            problems.append("an associated file has no /AFRelationship")
        if "/Subtype" not in stream or "/Params" not in stream or "/ModDate" not in stream["/Params"]:
            problems.append("an embedded file has no MIME subtype or no modification date")
        if reference.idnum not in embedded:
            problems.append("an associated file is missing from the embedded files")
    return problems


def _structure_problems(data: bytes, reader: PdfFileReader, language: str) -> list[str]:
    problems = []
    if not re.search(r"^Tagged:\s+yes$", pdf_summary(data), re.MULTILINE):
        problems.append("not tagged")
    if "/StructTreeRoot" not in reader.root:
        problems.append("no structure tree")
    tags = {line.split()[0].rstrip(":") for line in pdf_structure(data).splitlines() if line.strip()}
    if missing := STRUCTURE_TAGS - tags:
        problems.append(f"structure has no {sorted(missing)}")
    if str(reader.root.get("/Lang", "")) != language:
        problems.append(f"document language is {reader.root.get('/Lang')!r}")
    return problems


def _signature_problems(data: bytes) -> list[str]:
    blocks = re.split(r"^Signature #\d+:$", pdf_signatures(data), flags=re.MULTILINE)[1:]
    # Poppler cannot validate an RFC 3161 document timestamp (it reports "Signature Type: unknown");
    # pyHanko's verification covers those.
    checkable = [block for block in blocks if "Signature Type: unknown" not in block]
    valid = [block for block in checkable if "Signature Validation: Signature is Valid." in block]
    problems = (
        [] if checkable and len(valid) == len(checkable) else [f"{len(valid)} of {len(checkable)} signatures valid"]
    )
    if not blocks or "Total document signed" not in blocks[-1]:
        problems.append("the last signature does not cover the whole file")
    return problems


def conformance_problems(data: bytes, *, language: str) -> list[str]:
    """Every failed check, in words; empty when the sealed file passes them all."""
    reader = PdfFileReader(io.BytesIO(data))
    fonts = pdf_fonts(data)
    return [
        *_version_problems(data, reader),
        *_metadata_problems(reader),
        *[f"font {font['name']} is not embedded" for font in fonts if font["emb"] != "yes"],
        *([] if fonts else ["no fonts"]),
        *_associated_file_problems(reader),
        *_structure_problems(data, reader, language),
        *_signature_problems(data),
    ]
