"""Rule packs for the e-invoice engine. Importing this package registers every rule set."""

import defa.einvoice.rules.etda  # registers th-etda (Thailand, ETDA)
import defa.einvoice.rules.myinvois  # registers my-myinvois (Malaysia, LHDN)
import defa.einvoice.rules.national  # registers the VN, ID, PH, KH rule sets
import defa.einvoice.rules.pint_my  # registers pint*, my-pint, my-pint-selfbilling
import defa.einvoice.rules.pint_sg  # noqa: F401  # registers pint*, sg-pint (Singapore)
from defa.einvoice.rules import en16931, peppol
from defa.einvoice.rules.engine import Rule, RuleSet, resolve, rule_set, rule_sets, run

__all__ = ["Rule", "RuleSet", "en16931", "peppol", "resolve", "rule_set", "rule_sets", "run"]
