"""The mail templates Tracecode starts with, in English and Chinese; administrators change
them in the admin site. The writer's signature follows each text (services.compose)."""

ACKNOWLEDGEMENT = "enquiry-acknowledgement"

TEMPLATES = [
    {
        "key": ACKNOWLEDGEMENT,
        "name": "Acknowledgement of an enquiry",
        "name_zh": "询盘确认",
        "subject": "[{code}] Your enquiry: {part}",
        "subject_zh": "[{code}] 您的询价：{part}",
        "body": (
            "Dear {contact},\n\n"
            "thank you for your enquiry for {part}. Our reference is {code}: please keep it in "
            "the subject of your mails, so that everything about this enquiry reaches the right "
            "people at once.\n\n"
            "We are studying your request and drawings and will send you our quotation "
            "shortly. Should anything be missing for the quotation (material, yearly quantity, "
            "surface treatment, tolerances), we will ask you.\n\n"
            "Best regards,"
        ),
        "body_zh": (
            "{contact}，您好！\n\n"
            "感谢您对 {part} 的询价。我们的编号是 {code}，请在今后的邮件主题中保留此编号，"
            "以便与本询价有关的信息第一时间送到相关同事手中。\n\n"
            "我们正在研究您的需求和图纸，将尽快给您报价。如报价还需要其他信息"
            "（材料、年用量、表面处理、公差等），我们会与您联系。\n\n"
            "此致\n敬礼"
        ),
    },
    {
        "key": "quotation",
        "name": "Quotation",
        "name_zh": "报价",
        "subject": "[{code}] Quotation for {part}",
        "subject_zh": "[{code}] {part} 报价",
        "body": (
            "Dear {contact},\n\n"
            "please find attached our quotation for {part} ({code}). Prices apply to the "
            "quantities and terms stated in it.\n\n"
            "We look forward to your order.\n\n"
            "Best regards,"
        ),
        "body_zh": (
            "{contact}，您好！\n\n"
            "附件是我们对 {part}（{code}）的报价，价格适用于报价单中的数量和条款。\n\n"
            "期待您的订单。\n\n"
            "此致\n敬礼"
        ),
    },
    {
        "key": "proforma-invoice",
        "name": "Proforma invoice for payment",
        "name_zh": "形式发票（付款）",
        "subject": "[{code}] Proforma invoice",
        "subject_zh": "[{code}] 形式发票",
        "body": (
            "Dear {contact},\n\n"
            "please find attached the proforma invoice {code}. Production starts as soon as "
            "the deposit has arrived; please quote {code} with your payment.\n\n"
            "Best regards,"
        ),
        "body_zh": (
            "{contact}，您好！\n\n"
            "附件是形式发票 {code}。收到预付款后即安排生产，付款时请注明 {code}。\n\n"
            "此致\n敬礼"
        ),
    },
    {
        "key": "shipment-notice",
        "name": "Shipment notice",
        "name_zh": "发货通知",
        "subject": "[{code}] Shipped",
        "subject_zh": "[{code}] 已发货",
        "body": (
            "Dear {contact},\n\n"
            "your order {code} has been shipped. The commercial invoice and the packing list "
            "are attached; the shipping documents follow.\n\n"
            "Best regards,"
        ),
        "body_zh": (
            "{contact}，您好！\n\n"
            "您的订单 {code} 已发货。附件是商业发票和装箱单，运输单据随后发送。\n\n"
            "此致\n敬礼"
        ),
    },
    {
        "key": "follow-up",
        "name": "Follow-up",
        "name_zh": "跟进",
        "subject": "[{code}] {part}",
        "subject_zh": "[{code}] {part}",
        "body": (
            "Dear {contact},\n\n"
            "I am following up on {part} ({code}). Have you had a chance to look at our "
            "offer? We are glad to answer any question.\n\n"
            "Best regards,"
        ),
        "body_zh": (
            "{contact}，您好！\n\n"
            "想跟进一下 {part}（{code}）的情况。不知您是否已看过我们的报价？如有任何问题，"
            "我们乐意解答。\n\n"
            "此致\n敬礼"
        ),
    },
]


def seed(template_model) -> None:
    """Add the templates that are missing (by key); changed ones are left as they are."""
    for position, values in enumerate(TEMPLATES, start=1):
        template_model.objects.get_or_create(
            key=values["key"], defaults={**values, "position": position * 10}
        )
