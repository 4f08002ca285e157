"""Chinese number formats beside Django's own: amounts grouped by thousands (1,234,567.50), as
Chinese invoices and bank statements write them; Django's default groups nothing."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
