"""Rule packs for the e-invoice engine. Importing this package registers every rule set."""

import defa.einvoice.rules.national  # noqa: F401  # registers the VN, ID, PH, KH rule sets
import defa.einvoice.rules.etda  # noqa: F401  # registers th-etda (Thailand, ETDA)
import defa.einvoice.rules.myinvois  # noqa: F401  # registers my-myinvois (Malaysia, LHDN)
from defa.einvoice.rules import en16931, peppol
from defa.einvoice.rules.engine import Rule, RuleSet, resolve, rule_set, rule_sets, run

__all__ = ["Rule", "RuleSet", "en16931", "peppol", "resolve", "rule_set", "rule_sets", "run"]
