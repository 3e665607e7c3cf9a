"""File types evidence may have, the names they are stored and served under, and the kinds never accepted."""

import os

# Detected type -> the extensions a file of that type may carry; the first is the one a misnamed file gets.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/tiff": (".tif", ".tiff"),
    "image/webp": (".webp",),
    "text/plain": (".txt", ".csv", ".log"),
    "text/csv": (".csv", ".txt"),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
}

# Names a browser or desktop would run, open as a page or hand to an interpreter: refused whatever the
# content is, since a polyglot (a valid PDF that is also HTML) passes any content check.
DANGEROUS_EXTENSIONS = frozenset(
    {
        # pages and scripts a browser runs
        ".htm", ".html", ".xhtml", ".shtml", ".hta", ".svg", ".svgz", ".xml", ".xsl", ".xslt", ".js", ".mjs",
        ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".mht", ".mhtml", ".swf",
        # programs and installers
        ".exe", ".com", ".scr", ".pif", ".msi", ".msp", ".dll", ".cpl", ".sys", ".bin", ".elf", ".so", ".dylib",
        ".app", ".dmg", ".pkg", ".deb", ".rpm", ".apk", ".jar", ".class", ".appimage", ".run",
        # shell and interpreter scripts
        ".sh", ".bash", ".zsh", ".csh", ".ksh", ".command", ".bat", ".cmd", ".ps1", ".psm1", ".py", ".pyw",
        ".pl", ".rb", ".php", ".phtml", ".asp", ".aspx", ".jsp", ".cgi", ".lnk", ".url", ".reg", ".inf",
        ".scf", ".desktop",
        # Office files with macros
        ".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppsm",
    }
)  # fmt: skip

# Detected types that are programs, scripts or active pages: named in the refusal so the user knows why.
DANGEROUS_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "application/javascript",
        "text/javascript",
        "application/x-executable",
        "application/x-pie-executable",
        "application/x-sharedlib",
        "application/x-object",
        "application/x-mach-binary",
        "application/x-dosexec",
        "application/x-msdownload",
        "application/x-msi",
        "application/vnd.microsoft.portable-executable",
        "application/java-archive",
        "application/x-java-applet",
        "text/x-shellscript",
        "application/x-shellscript",
        "text/x-python",
        "text/x-perl",
        "text/x-php",
        "text/x-ruby",
        "text/x-msdos-batch",
        "application/hta",
        "application/x-ms-shortcut",
    }
)


def is_dangerous_name(name: str) -> bool:
    """Any of the name's extensions (`a.exe.pdf` too: some tools look at the first) would run or render."""
    parts = name.lower().split(".")[1:]
    return any(f".{part.strip()}" in DANGEROUS_EXTENSIONS for part in parts)


def name_for_type(name: str, content_type: str) -> str:
    """`name` if its extension fits the type, else its stem with the type's own extension ("x.txt" of a PDF: "x.pdf")."""
    allowed = EXTENSIONS.get(content_type)
    if not allowed:
        return name
    stem, extension = os.path.splitext(name)
    if extension.lower() in allowed:
        return name
    return (stem or name) + allowed[0]
