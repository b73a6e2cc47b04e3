"""Build a pacs.008.001.11 cross-border instant credit transfer from a QR code and a quote.

The message follows the shape Nexus gives a cross-border instant payment (one transaction,
settled in a clearing system, ``SttlmMtd`` = ``CLRG``):

* ``PmtId/UETR`` a fresh UUID v4, ``EndToEndId``, ``TxId`` and ``InstrId`` fresh ids;
* ``InstdAmt`` the payer's amount in the payer's currency, ``IntrBkSttlmAmt`` the merchant's
  amount in the QR code's currency, ``XchgRate`` the quote's rate (merchant currency per unit
  of payer currency), so that ``InstdAmt x XchgRate = IntrBkSttlmAmt`` up to rounding;
* ``IntrmyAgt1..3`` the agents between the payer's and the merchant's (in Nexus: the source
  and destination settlement access providers), ``DbtrAgt`` and ``CdtrAgt`` the two PSPs;
* the quote id: pacs.008.001.11 has no element for it (``AgrdRate/QtId`` came in later
  versions), so it travels as ``InstrForNxtAgt/InstrInf`` = ``/QUOTE/<quote id>``;
* the merchant from the QR code: ``Cdtr/Nm`` (ID 59, ``NOTPROVIDED`` when the code has none),
  ``CdtrAcct/Id/Othr/Id`` the account the identifying template names, with the scheme id as
  the proprietary scheme name, and the bill number or reference label (Thai bill payment: its
  reference 1) as ``RmtInf/Ustrd``.

The document is made with the ``pyiso20022`` bindings (xsdata dataclasses generated from the
same schema) and serialised by xsdata, then checked against the official XSD.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from lxml import etree
from pyiso20022.pacs.pacs_008_001_11 import pacs_008_001_11 as m  # type: ignore[import-untyped]
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from xsdata.models.datatype import XmlDate, XmlDateTime

from defa.errors import Issue, ValidationError
from defa.iso20022._schemas import namespace, validate
from defa.payments.quote import Quote
from defa.qr import Payload

__all__ = ["MESSAGE", "Agent", "Pacs008", "build_pacs008"]

MESSAGE = "pacs.008.001.11"

_BIC = re.compile(r"[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")
_MAX35 = 35
_MAX140 = 140


@dataclass(frozen=True, slots=True)
class Agent:
    """A financial institution: by BIC, or by its member id in a clearing system."""

    bic: str | None = None
    member_id: str | None = None
    clearing_system: str | None = None  # proprietary clearing system id, e.g. "NAPAS"
    name: str | None = None

    def check(self, loc: str) -> list[Issue]:
        """Why this agent cannot be written (empty when it can)."""
        found: list[Issue] = []
        if self.bic is None and self.member_id is None:
            found.append(Issue("iso20022.bad_party", "an agent needs a BIC or a member id", loc))
        if self.bic is not None and not _BIC.fullmatch(self.bic):
            found.append(Issue("iso20022.bad_party", f"{self.bic!r:.20} is not a BIC", loc))
        for name, value, limit in (
            ("member_id", self.member_id, _MAX35),
            ("clearing_system", self.clearing_system, _MAX35),
            ("name", self.name, _MAX140),
        ):
            if value is not None and not 0 < len(value) <= limit:
                found.append(
                    Issue("iso20022.bad_party", f"{name} must be 1-{limit} characters", loc)
                )
        return found

    @classmethod
    def from_dict(cls, raw: Any, loc: str) -> Agent:
        """An agent from ``{"bic": ...}`` or ``{"member_id": ..., "clearing_system": ...}``."""
        if not isinstance(raw, dict):
            raise ValidationError(Issue("iso20022.bad_party", "an agent must be an object", loc))
        values = {k: raw.get(k) for k in ("bic", "member_id", "clearing_system", "name")}
        if any(v is not None and not isinstance(v, str) for v in values.values()):
            raise ValidationError(Issue("iso20022.bad_party", "agent fields are strings", loc))
        return cls(**values)

    def _fin(self) -> Any:
        member = None
        if self.member_id is not None:
            system = (
                m.ClearingSystemIdentification2Choice(prtry=self.clearing_system)
                if self.clearing_system
                else None
            )
            member = m.ClearingSystemMemberIdentification2(clr_sys_id=system, mmb_id=self.member_id)
        return m.BranchAndFinancialInstitutionIdentification6(
            fin_instn_id=m.FinancialInstitutionIdentification18(
                bicfi=self.bic, clr_sys_mmb_id=member, nm=self.name
            )
        )


@dataclass(frozen=True, slots=True)
class Pacs008:
    """A built message: its XML and the identifiers it carries."""

    xml: bytes
    message_id: str
    uetr: str
    end_to_end_id: str
    quote_id: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": MESSAGE,
            "message_id": self.message_id,
            "uetr": self.uetr,
            "end_to_end_id": self.end_to_end_id,
            "quote_id": self.quote_id,
            "xml": self.xml.decode("utf-8"),
        }


def _ccy_amount(amount: Decimal, currency: str, historic: bool = False) -> Any:
    kind = m.ActiveOrHistoricCurrencyAndAmount if historic else m.ActiveCurrencyAndAmount
    return kind(value=amount, ccy=currency)


def _creditor_account(payload: Payload) -> Any:
    fields = payload.fields
    values = (
        []
        if fields is None
        else [
            str(v) for k, v in fields.to_dict().items() if k not in ("tag", "guid", "extra") and v
        ]
    )
    if not values:
        return None
    return m.CashAccount40(
        id=m.AccountIdentification4Choice(
            othr=m.GenericAccountIdentification1(
                id=values[0][:34],
                schme_nm=m.AccountSchemeName1Choice(prtry=payload.scheme[:_MAX35]),
            )
        )
    )


def _remittance(payload: Payload) -> Any:
    extra = payload.additional
    text = None if extra is None else (extra.bill_number or extra.reference_label)
    # Thai bill payment carries the bill's reference in its own template, not in ID 62.
    text = text or getattr(payload.fields, "reference_1", None)
    return None if not text else m.RemittanceInformation21(ustrd=[text[:_MAX140]])


def _fresh_id() -> str:
    return uuid.uuid4().hex  # 32 characters: within Max35Text


def build_pacs008(
    payload: Payload,
    quote: Quote,
    *,
    debtor_name: str,
    debtor_agent: Agent,
    creditor_agent: Agent,
    debtor_account: str | None = None,
    intermediaries: tuple[Agent, ...] = (),
    charge_bearer: str = "SHAR",
    now: datetime | None = None,
    uetr: str | None = None,
) -> Pacs008:
    """The pacs.008.001.11 for paying ``payload`` as ``quote`` prices it, XSD-checked.

    Raises :class:`~defa.errors.ValidationError` (``iso20022.bad_party``) for agents or names
    that cannot be written, (``iso20022.schema_invalid``) if the built document fails the
    official XSD; :class:`~defa.errors.DataError` if the XSD cannot be found.
    """
    problems: list[Issue] = []
    for loc, agent in (("debtor_agent", debtor_agent), ("creditor_agent", creditor_agent)):
        problems.extend(agent.check(loc))
    if len(intermediaries) > 3:
        problems.append(
            Issue("iso20022.bad_party", "at most three intermediary agents", "intermediaries")
        )
    for n, agent in enumerate(intermediaries[:3]):
        problems.extend(agent.check(f"intermediaries[{n}]"))
    if not 0 < len(debtor_name.strip()) <= _MAX140:
        problems.append(
            Issue("iso20022.bad_party", "debtor_name must be 1-140 characters", "debtor_name")
        )
    if debtor_account is not None and not 0 < len(debtor_account) <= 34:
        problems.append(
            Issue("iso20022.bad_party", "debtor_account must be 1-34 characters", "debtor_account")
        )
    if charge_bearer not in {c.value for c in m.ChargeBearerType1Code}:
        problems.append(
            Issue(
                "iso20022.bad_party", "charge_bearer is DEBT, CRED, SHAR or SLEV", "charge_bearer"
            )
        )
    if problems:
        raise ValidationError(problems)

    at = (now or datetime.now(UTC)).replace(microsecond=0)
    message_id, end_to_end = _fresh_id(), _fresh_id()
    uetr = uetr or str(uuid.uuid4())
    agents: list[Agent | None] = [*intermediaries, None, None, None]
    tx = m.CreditTransferTransaction58(
        pmt_id=m.PaymentIdentification13(
            instr_id=message_id, end_to_end_id=end_to_end, tx_id=end_to_end, uetr=uetr
        ),
        intr_bk_sttlm_amt=_ccy_amount(quote.target_amount, quote.target_currency),
        intr_bk_sttlm_dt=XmlDate(at.year, at.month, at.day),
        accptnc_dt_tm=XmlDateTime.from_datetime(at),
        instd_amt=_ccy_amount(quote.source_amount, quote.source_currency, historic=True),
        xchg_rate=quote.rate,
        chrg_br=m.ChargeBearerType1Code(charge_bearer),
        intrmy_agt1=agents[0]._fin() if agents[0] else None,
        intrmy_agt2=agents[1]._fin() if agents[1] else None,
        intrmy_agt3=agents[2]._fin() if agents[2] else None,
        dbtr=m.PartyIdentification135(nm=debtor_name.strip(), ctry_of_res=quote.payer_country),
        dbtr_acct=None
        if debtor_account is None
        else m.CashAccount40(
            id=m.AccountIdentification4Choice(
                othr=m.GenericAccountIdentification1(id=debtor_account)
            )
        ),
        dbtr_agt=debtor_agent._fin(),
        cdtr_agt=creditor_agent._fin(),
        cdtr=m.PartyIdentification135(
            nm=(payload.merchant_name or "NOTPROVIDED")[:_MAX140],
            ctry_of_res=quote.merchant_country,
        ),
        cdtr_acct=_creditor_account(payload),
        instr_for_nxt_agt=[m.InstructionForNextAgent1(instr_inf=f"/QUOTE/{quote.id}")],
        rmt_inf=_remittance(payload),
    )
    doc = m.Document(
        fito_ficstmr_cdt_trf=m.FitoFicustomerCreditTransferV11(
            grp_hdr=m.GroupHeader96(
                msg_id=message_id,
                cre_dt_tm=XmlDateTime.from_datetime(at),
                nb_of_txs="1",
                sttlm_inf=m.SettlementInstruction11(sttlm_mtd=m.SettlementMethod1Code.CLRG),
            ),
            cdt_trf_tx_inf=[tx],
        )
    )
    serializer = XmlSerializer(config=SerializerConfig(indent="  ", xml_declaration=True))
    xml = serializer.render(doc, ns_map={None: namespace(MESSAGE)}).encode("utf-8")
    issues = validate(etree.fromstring(xml), MESSAGE)
    if issues:
        raise ValidationError(issues)
    return Pacs008(
        xml=xml, message_id=message_id, uetr=uetr, end_to_end_id=end_to_end, quote_id=quote.id
    )
