//! Sans-IO SIP user agent: transactions, dialogs, registration, INVITE sessions.
