"""The decision: named steps, run in this order by service/engine/assemble.py.

Per amount (amounts.read walks the sentences and their amounts in text order):

    amounts.py     each amount in its clause, and the state a sentence carries from one
                   amount to the next (context.py)
    not_pledge.py  reasons an amount is no pledge (vague, conditional, a request or appeal,
                   a budget, a loss, an aggregate, no pledge word, a company's money, no giver)
    parties.py     donor(s) and recipient
    status.py      new | previously_announced | total
    dating.py      the day of the pledge (may still make a "new" amount an earlier one)
    category.py    what the money is for, and the instrument (grant, loan, ...)
    packages.py    a share of a package named before ("Of the total, $4m ...")

Per document, on all candidates (in assemble.decide's order):

    parties.own_dollars               a Canadian/Australian outlet's bare "$" for its own government
    repeats.drop_conversions          a conversion said again is no second pledge
    repeats.drop_equal_shares         "... 30 million from each of the two ministries"
    parties.apply_default_recipient   the article's one recipient for pledges that name none
    not_pledge.drop_domestic          a country paying for itself is no aid
    packages.drop_split_packages      a package whose parts are listed: the parts or the package
    category.total_categories         a running total takes the kind of its donor's pledges
    repeats.group_repeats             mentions of one pledge become one Pledge with its evidence
    totals.totals                     sum per donor and currency

Every rule is a named value (rules.Rule); a candidate keeps the names of those that decided it.
"""
