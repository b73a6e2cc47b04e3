"""The MyInvois v1.1 document signature: enveloped XAdES, created and verified.

LHDN's signature guide (MyInvois SDK, "Signature" and "Signature Creation", steps 1-8) fixes
the method; this module follows it step by step:

1. the signed content is the document without ``ext:UBLExtensions`` and ``cac:Signature``;
2. it is *minified* (every white-space-only text dropped: between elements and inside empty
   ones, as .NET does) and canonicalised (inclusive C14N; 1.1 and 1.0 agree on documents
   without ``xml:`` attributes);
3. **DocDigest** is the Base64 SHA-256 of those bytes;
4. **Sig** is RSA (PKCS #1 v1.5) with SHA-256 over the same bytes, i.e. over DocDigest;
5. **CertDigest** is the Base64 SHA-256 of the signing certificate (DER);
6. the signed properties hold the signing time (UTC), CertDigest, and the certificate's
   issuer name and serial number;
7. **PropsDigest** is the Base64 SHA-256 of the signed properties element "linearised":
   serialised without white space between elements the way .NET's ``XmlWriter`` writes a
   node (the guide's reference tooling is PowerShell/.NET), *not* a W3C canonical form:
   attributes in document order, then a namespace declaration on each element whose prefix
   is not yet declared in the output (so every ``ds:`` sibling repeats ``xmlns:ds``), and
   empty elements as ``<x a="v" />``;
8. the extension (``ext:UBLExtensions``, the guide's exact structure and algorithm URIs)
   and ``cac:Signature`` are put into the document.

The official v1.1 samples confirm every step: their DocDigest, Sig, CertDigest and
PropsDigest verify with the certificate each carries, except the foreign-currency invoice's
PropsDigest: its ``SigningTime`` was edited after it was signed (the digest matches
``2025-07-30T06:34:28Z`` instead); see ``docs/einvoice-myinvois.md``.

Note what the method protects: Sig covers the document only. The signed properties are
bound by PropsDigest, which is not itself signed, so :func:`verify` checks each digest and
the signature separately and reports every mismatch. It checks integrity and the key, not
the certificate's trust chain or validity dates (LHDN does that against Malaysian CAs).
"""

from __future__ import annotations

import base64
import hashlib
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from defa.countries.my.myinvois.xml_syntax import DS, NAMESPACES, SAC, SBC, SIG, XADES
from defa.einvoice.syntax import ubl_binding as ubl
from defa.einvoice.xmlsafe import Source, parse
from defa.errors import Issue, Severity

__all__ = [
    "Verification",
    "canonical_document",
    "certificate_digest",
    "document_digest",
    "sign",
    "signed_properties_digest",
    "verify",
]

EXTENSION_URI = "urn:oasis:names:specification:ubl:dsig:enveloped:xades"
SIGNATURE_ID = "urn:oasis:names:specification:ubl:signature:Invoice"
SIGNATURE_INFORMATION_ID = "urn:oasis:names:specification:ubl:signature:1"
C14N_EXCLUSIVE = "http://www.w3.org/2001/10/xml-exc-c14n#"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
XPATH_FILTER = "http://www.w3.org/TR/1999/REC-xpath-19991116"
PROPERTIES_TYPE = "http://www.w3.org/2000/09/xmldsig#SignatureProperties"
DOC_REFERENCE_ID = "id-doc-signed-data"
PROPS_ID = "id-xades-signed-props"

_EXTENSIONS = f"{{{ubl.EXT}}}UBLExtensions"
_SIGNATURE = f"{{{ubl.CAC}}}Signature"
_NS = {**NAMESPACES, "ubl": ubl.INVOICE}
_FIND_SIGNATURE = etree.XPath(
    "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/sig:UBLDocumentSignatures"
    "/sac:SignatureInformation/ds:Signature",
    namespaces=_NS,
)
_DOC_DIGEST = etree.XPath(
    f"ds:SignedInfo/ds:Reference[@Id='{DOC_REFERENCE_ID}']/ds:DigestValue", namespaces=_NS
)
_PROPS_DIGEST = etree.XPath(
    f"ds:SignedInfo/ds:Reference[@URI='#{PROPS_ID}']/ds:DigestValue", namespaces=_NS
)
_SIGNATURE_VALUE = etree.XPath("ds:SignatureValue", namespaces=_NS)
_CERTIFICATE = etree.XPath("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=_NS)
_PROPS = etree.XPath(
    f"ds:Object/xades:QualifyingProperties/xades:SignedProperties[@Id='{PROPS_ID}']",
    namespaces=_NS,
)
_CERT_DIGEST = etree.XPath(
    "xades:SignedSignatureProperties/xades:SigningCertificate/xades:Cert/xades:CertDigest"
    "/ds:DigestValue",
    namespaces=_NS,
)
_ISSUER = etree.XPath(
    "xades:SignedSignatureProperties/xades:SigningCertificate/xades:Cert/xades:IssuerSerial"
    "/ds:X509IssuerName",
    namespaces=_NS,
)
_SERIAL = etree.XPath(
    "xades:SignedSignatureProperties/xades:SigningCertificate/xades:Cert/xades:IssuerSerial"
    "/ds:X509SerialNumber",
    namespaces=_NS,
)
_SIGNING_TIME = etree.XPath("xades:SignedSignatureProperties/xades:SigningTime", namespaces=_NS)
_SIGNATURE_LOC = (
    "/Invoice/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent"
    "/sig:UBLDocumentSignatures/sac:SignatureInformation/ds:Signature"
)


def _find(path: etree.XPath, el: etree._Element) -> list[etree._Element]:
    """The elements an XPath selects (typed for the checker)."""
    found = path(el)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def _b64sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def _minify(el: etree._Element) -> None:
    """Drop every white-space-only text: between elements and inside empty ones.

    UBL has no mixed content, and LHDN's tooling (.NET, white space not preserved) drops a
    white-space-only text node wherever it stands, so ``<cbc:CityName>\n</cbc:CityName>``
    is signed as an empty element (the official consolidated sample has such elements).
    """
    for e in el.iter():
        if e.text is not None and not e.text.strip():
            e.text = None
        if e.tail is not None and not e.tail.strip():
            e.tail = None


def _c14n(el: etree._Element) -> bytes:
    # inclusive C14N, as the guide says (xml-c14n11), whatever URI the SignedInfo names:
    # exclusive C14N does not reproduce the official samples' DocDigest
    return bytes(etree.tostring(el, method="c14n"))


def _escape(text: str, quote: bool) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _linearise(
    el: etree._Element, declared: dict[str | None, str], short_empty: bool = True
) -> list[str]:
    """Step 7's serialisation of ``el`` (see the module docstring), as string parts.

    .NET writes an empty element as it stood in the source (``<x />`` or ``<x></x>``); the
    parsed tree no longer says which, so ``short_empty`` chooses.
    """
    qname = etree.QName(el)
    prefix = el.prefix
    name = f"{prefix}:{qname.localname}" if prefix else qname.localname
    out = ["<", name]
    for key, value in el.attrib.items():
        attr = etree.QName(key)
        attr_prefix = next((p for p, u in el.nsmap.items() if p and u == attr.namespace), None)
        shown = f"{attr_prefix}:{attr.localname}" if attr.namespace else attr.localname
        out.append(f' {shown}="{_escape(str(value), True)}"')
    scope = declared
    if qname.namespace is not None and declared.get(prefix) != qname.namespace:
        out.append(
            f' xmlns:{prefix}="{qname.namespace}"' if prefix else f' xmlns="{qname.namespace}"'
        )
        scope = {**declared, prefix: qname.namespace}
    children = [c for c in el if isinstance(c.tag, str)]
    text = el.text if el.text and el.text.strip() else None  # white space alone: dropped
    if not children and text is None and short_empty:
        out.append(" />")
        return out
    out.append(">")
    if text is not None:
        out.append(_escape(text, False))
    for child in children:
        out.extend(_linearise(child, scope, short_empty))
        if child.tail and child.tail.strip():
            out.append(_escape(child.tail, False))
    out.append(f"</{name}>")
    return out


def signed_properties_digest(props: etree._Element, short_empty: bool = True) -> str:
    """Step 7: PropsDigest, the Base64 SHA-256 of the linearised ``xades:SignedProperties``.

    Empty elements are written ``<x a="v" />`` as in LHDN's samples, or with
    ``short_empty=False`` as ``<x a="v"></x>`` (how some signers write them).
    """
    return _b64sha256("".join(_linearise(props, {}, short_empty)).encode("utf-8"))


def canonical_document(root: etree._Element) -> bytes:
    """Steps 1-2: the document without its signature parts, minified and canonicalised."""
    copy = deepcopy(root)
    for el in list(copy):
        if el.tag in (_EXTENSIONS, _SIGNATURE):
            copy.remove(el)
    _minify(copy)
    return _c14n(copy)


def document_digest(root: etree._Element) -> str:
    """Step 3: DocDigest, the Base64 SHA-256 of :func:`canonical_document`."""
    return _b64sha256(canonical_document(root))


def certificate_digest(certificate: x509.Certificate) -> str:
    """Step 5: CertDigest, the Base64 SHA-256 of the certificate's DER encoding."""
    return _b64sha256(certificate.public_bytes(Encoding.DER))


def _issuer_name(certificate: x509.Certificate) -> str:
    # most significant RDN last, ", " between them, as LHDN's samples write it
    return ", ".join(rdn.rfc4514_string() for rdn in reversed(certificate.issuer.rdns))


def _sub(
    parent: etree._Element, ns: str, name: str, text: str | None = None, **attrs: str
) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ns}}}{name}", attrs)
    if text is not None:
        el.text = text
    return el


def _extension(
    doc_digest: str, signature_value: str, certificate: x509.Certificate, signing_time: str
) -> tuple[etree._Element, etree._Element, etree._Element]:
    """Step 8's ``ext:UBLExtensions``; returns it, its signed properties and props digest."""
    nsmap: dict[str | None, str] = {None: ubl.EXT, "cac": ubl.CAC, "cbc": ubl.CBC}
    extensions = etree.Element(_EXTENSIONS, nsmap=nsmap)  # type: ignore[arg-type]
    extension = _sub(extensions, ubl.EXT, "UBLExtension")
    _sub(extension, ubl.EXT, "ExtensionURI", EXTENSION_URI)
    content = _sub(extension, ubl.EXT, "ExtensionContent")
    signatures = etree.SubElement(
        content,
        f"{{{SIG}}}UBLDocumentSignatures",
        nsmap={"sig": SIG, "sac": SAC, "sbc": SBC},
    )
    information = _sub(signatures, SAC, "SignatureInformation")
    _sub(information, ubl.CBC, "ID", SIGNATURE_INFORMATION_ID)
    _sub(information, SBC, "ReferencedSignatureID", SIGNATURE_ID)
    signature = etree.SubElement(
        information, f"{{{DS}}}Signature", {"Id": "signature"}, nsmap={"ds": DS}
    )
    info = _sub(signature, DS, "SignedInfo")
    _sub(info, DS, "CanonicalizationMethod", Algorithm=C14N_EXCLUSIVE)
    _sub(info, DS, "SignatureMethod", Algorithm=RSA_SHA256)
    reference = _sub(info, DS, "Reference", Id=DOC_REFERENCE_ID, URI="")
    transforms = _sub(reference, DS, "Transforms")
    for excluded in ("ext:UBLExtensions", "cac:Signature"):
        transform = _sub(transforms, DS, "Transform", Algorithm=XPATH_FILTER)
        _sub(transform, DS, "XPath", f"not(//ancestor-or-self::{excluded})")
    _sub(transforms, DS, "Transform", Algorithm=C14N_EXCLUSIVE)
    _sub(reference, DS, "DigestMethod", Algorithm=SHA256)
    _sub(reference, DS, "DigestValue", doc_digest)
    props_reference = _sub(info, DS, "Reference", Type=PROPERTIES_TYPE, URI=f"#{PROPS_ID}")
    _sub(props_reference, DS, "DigestMethod", Algorithm=SHA256)
    props_digest = _sub(props_reference, DS, "DigestValue", "")
    _sub(signature, DS, "SignatureValue", signature_value)
    key_info = _sub(signature, DS, "KeyInfo")
    x509_data = _sub(key_info, DS, "X509Data")
    der = certificate.public_bytes(Encoding.DER)
    _sub(x509_data, DS, "X509Certificate", base64.b64encode(der).decode("ascii"))
    obj = _sub(signature, DS, "Object")
    qualifying = etree.SubElement(
        obj, f"{{{XADES}}}QualifyingProperties", {"Target": "signature"}, nsmap={"xades": XADES}
    )
    props = _sub(qualifying, XADES, "SignedProperties", Id=PROPS_ID)
    signed = _sub(props, XADES, "SignedSignatureProperties")
    _sub(signed, XADES, "SigningTime", signing_time)
    cert = _sub(_sub(signed, XADES, "SigningCertificate"), XADES, "Cert")
    cert_digest = _sub(cert, XADES, "CertDigest")
    _sub(cert_digest, DS, "DigestMethod", Algorithm=SHA256)
    _sub(cert_digest, DS, "DigestValue", certificate_digest(certificate))
    issuer_serial = _sub(cert, XADES, "IssuerSerial")
    _sub(issuer_serial, DS, "X509IssuerName", _issuer_name(certificate))
    _sub(issuer_serial, DS, "X509SerialNumber", str(certificate.serial_number))
    return extensions, props, props_digest


def _signature_reference(root: etree._Element) -> etree._Element:
    """``cac:Signature``, put where UBL 2.1 orders it (before the supplier party)."""
    el = etree.Element(_SIGNATURE)
    _sub(el, ubl.CBC, "ID", SIGNATURE_ID)
    _sub(el, ubl.CBC, "SignatureMethod", EXTENSION_URI)
    supplier = root.find(f"{{{ubl.CAC}}}AccountingSupplierParty")
    if supplier is not None:
        supplier.addprevious(el)
    else:
        root.append(el)
    return el


def sign(
    document: Source | etree._Element,
    private_key: rsa.RSAPrivateKey,
    certificate: x509.Certificate,
    *,
    signing_time: datetime | None = None,
) -> bytes:
    """The document signed as MyInvois v1.1 requires (UTF-8 XML, no XML declaration).

    An existing signature is replaced. ``signing_time`` defaults to now (UTC). The output is
    minified, so that transport cannot change what was signed.
    """
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise TypeError("MyInvois signatures are RSA: give an RSA private key")
    root = deepcopy(document) if isinstance(document, etree._Element) else parse(document)
    for el in list(root):
        if el.tag in (_EXTENSIONS, _SIGNATURE):
            root.remove(el)
    _minify(root)
    _signature_reference(root)
    canonical = canonical_document(root)
    signature_value = private_key.sign(canonical, padding.PKCS1v15(), hashes.SHA256())
    when = (signing_time or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    extensions, props, props_digest = _extension(
        _b64sha256(canonical),
        base64.b64encode(signature_value).decode("ascii"),
        certificate,
        when,
    )
    root.insert(0, extensions)
    props_digest.text = signed_properties_digest(props)
    return bytes(etree.tostring(root, encoding="UTF-8"))


@dataclass(frozen=True, slots=True)
class Verification:
    """What :func:`verify` found: ``valid`` when every check passed; ``issues`` otherwise."""

    valid: bool
    issues: tuple[Issue, ...]
    signing_time: str | None = None
    certificate: x509.Certificate | None = None


def _invalid(part: str, msg: str, loc: str) -> Issue:
    return Issue(
        "einvoice.signature_invalid", msg, loc=loc, severity=Severity.ERROR, ctx={"part": part}
    )


def _text(found: list[etree._Element]) -> str:
    return (found[0].text or "").strip() if found else ""


def verify(document: Source | etree._Element) -> Verification:
    """Check a signed MyInvois document: digests, signature value, certificate identity.

    Never raises on a bad signature: each failed check is an ``einvoice.signature_invalid``
    issue naming its ``part`` (``document_digest``, ``signature_value``,
    ``certificate_digest``, ``signed_properties_digest``, ``issuer_serial``,
    ``certificate``); a document with no signature gives ``einvoice.signature_missing``.
    Input that is not safe XML raises :class:`~defa.errors.InputRejected`.
    """
    root = document if isinstance(document, etree._Element) else parse(document)
    found = _find(_FIND_SIGNATURE, root)
    if not found:
        issue = Issue("einvoice.signature_missing", "the document carries no signature", "/Invoice")
        return Verification(False, (issue,))
    signature = found[0]
    loc = _SIGNATURE_LOC
    issues: list[Issue] = []
    certificate: x509.Certificate | None = None
    try:
        der = base64.b64decode(_text(_find(_CERTIFICATE, signature)), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except ValueError:
        issues.append(_invalid("certificate", "the signing certificate cannot be read", loc))
    canonical = canonical_document(root)
    if _text(_find(_DOC_DIGEST, signature)) != _b64sha256(canonical):
        issues.append(
            _invalid("document_digest", "the document does not match its digest: changed", loc)
        )
    props = _find(_PROPS, signature)
    signing_time = _text(_find(_SIGNING_TIME, props[0])) if props else None
    if not props:
        issues.append(_invalid("signed_properties_digest", "no signed properties", loc))
    else:
        if _text(_find(_PROPS_DIGEST, signature)) not in _props_digests(root):
            issues.append(
                _invalid(
                    "signed_properties_digest",
                    "the signed properties do not match their digest: changed",
                    loc,
                )
            )
    if certificate is not None:
        try:
            value = base64.b64decode(_text(_find(_SIGNATURE_VALUE, signature)), validate=True)
            public = certificate.public_key()
            if not isinstance(public, rsa.RSAPublicKey):
                raise InvalidSignature
            public.verify(value, canonical, padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, InvalidSignature):
            issues.append(_invalid("signature_value", "the signature value does not verify", loc))
        if props:
            if _text(_find(_CERT_DIGEST, props[0])) != certificate_digest(certificate):
                issues.append(
                    _invalid("certificate_digest", "the certificate digest does not match", loc)
                )
            serial = _text(_find(_SERIAL, props[0]))
            if serial != str(certificate.serial_number) or not _same_name(
                _text(_find(_ISSUER, props[0])), certificate
            ):
                issues.append(
                    _invalid(
                        "issuer_serial",
                        "the issuer and serial number are not the certificate's",
                        loc,
                    )
                )
    return Verification(not issues, tuple(issues), signing_time, certificate)


def _props_digests(root: etree._Element) -> tuple[str, str]:
    """Step 7 on a received document: the signed properties where they stand, with either
    form of empty element (the signer's source decided which one .NET wrote)."""
    props = _find(_PROPS, _find(_FIND_SIGNATURE, root)[0])[0]
    return signed_properties_digest(props), signed_properties_digest(props, short_empty=False)


def _same_name(text: str, certificate: x509.Certificate) -> bool:
    """The issuer name as written matches the certificate's, spacing aside."""
    return text.replace(", ", ",") == _issuer_name(certificate).replace(", ", ",")
