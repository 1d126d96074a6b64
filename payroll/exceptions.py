"""Domain errors of teacher payroll (academy errors: one form message, one API error)."""

from academy.exceptions import AcademyError


class PayrollError(AcademyError):
    code = "payroll_error"


class StatementApproved(PayrollError):
    code = "statement_approved"


class InvalidPayRule(PayrollError):
    code = "invalid_pay_rule"
