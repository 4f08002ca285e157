"""The mail app's rules, one code path each: import, linking, filing, sending, chats, uploads.

Views, API, commands and tasks call these (`from tracecode.mail import services`); nothing
else writes mails. One module per seam:

    codes      which customer a code names, who may file under it or see it
    storage    where mails and chat media are kept (the client folder, else Unfiled)
    linking    where a mail belongs, filing by hand, threads
    importing  .eml/mbox files and raw messages, in chunks
    outgoing   sending a mail about a code; whether a mail server answers
    compose    replies and forwards in their thread, templates, signatures, files to
               attach, drafts a failed send keeps
    imap       fetching IMAP accounts
    chats      WhatsApp exports
    uploads    uploaded mail files imported in the background
"""

from . import compose
from .chats import (
    ORDER_NAMES,
    AmbiguousDates,
    ChatImportError,
    chat_title,
    date_order_of,
    file_chat_messages,
    forget_held_chat,
    hold_chat,
    import_chat,
    open_held_chat,
    unfiled_chats,
    unfiled_of,
)
from .codes import (
    check_code,
    codes_below,
    customer_of,
    linkable_codes,
    linkable_customers,
    visible_customer,
    visible_links,
)
from .imap import LOOPBACK, FetchReport, fetch_account, fetch_all
from .importing import (
    CHUNK,
    ImportReport,
    already_stored,
    file_items,
    import_files,
    import_raw_items,
    is_mbox,
    store_mail,
    store_many,
)
from .linking import (
    WEAK,
    Link,
    file_attachments,
    file_mail,
    link_message,
    links_for,
    relink_replies,
    thread_of,
)
from .outgoing import (
    SEND_ATTACHMENTS_LIMIT,
    MailNotSent,
    ServerStatus,
    forget_server_status,
    mail_sent,
    main_contact_email,
    send_mail,
    server_status,
    subject_prefix,
)
from .storage import UNFILED_FOLDER, folder_for, mail_file_name
from .uploads import run_batch, start_batch, upload_folder

__all__ = [
    "ORDER_NAMES",
    "AmbiguousDates",
    "chat_title",
    "date_order_of",
    "file_chat_messages",
    "unfiled_of",
    "unfiled_chats",
    "hold_chat",
    "open_held_chat",
    "forget_held_chat",
    "CHUNK",
    "MailNotSent",
    "ServerStatus",
    "compose",
    "file_attachments",
    "forget_server_status",
    "mail_sent",
    "server_status",
    "LOOPBACK",
    "SEND_ATTACHMENTS_LIMIT",
    "UNFILED_FOLDER",
    "WEAK",
    "ChatImportError",
    "FetchReport",
    "ImportReport",
    "Link",
    "already_stored",
    "check_code",
    "codes_below",
    "customer_of",
    "fetch_account",
    "fetch_all",
    "file_items",
    "file_mail",
    "folder_for",
    "import_chat",
    "import_files",
    "import_raw_items",
    "is_mbox",
    "link_message",
    "main_contact_email",
    "linkable_codes",
    "linkable_customers",
    "links_for",
    "mail_file_name",
    "relink_replies",
    "run_batch",
    "send_mail",
    "start_batch",
    "store_many",
    "store_mail",
    "subject_prefix",
    "thread_of",
    "upload_folder",
    "visible_customer",
    "visible_links",
]
