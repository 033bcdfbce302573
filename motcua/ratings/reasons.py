"""The default rating reasons (codes are stable: the API and the demo refer to them)."""

# (code, text, positive, order)
DEFAULT_REASONS = (
    ("huong-dan-tan-tinh", "Cán bộ hướng dẫn tận tình, dễ hiểu", True, 1),
    ("dung-hen", "Giải quyết đúng hẹn hoặc sớm hơn hẹn", True, 2),
    ("thu-tuc-don-gian", "Thủ tục đơn giản, giấy tờ rõ ràng", True, 3),
    ("thai-do-lich-su", "Cán bộ lịch sự, thân thiện", True, 4),
    ("co-so-vat-chat-tot", "Nơi tiếp nhận sạch sẽ, thuận tiện", True, 5),
    ("nop-truc-tuyen-de", "Nộp và theo dõi hồ sơ trực tuyến dễ dàng", True, 6),
    ("di-lai-nhieu-lan", "Phải đi lại nhiều lần", False, 1),
    ("tre-hen", "Trễ hẹn trả kết quả", False, 2),
    ("gay-kho-khan", "Cán bộ gây khó khăn, phiền hà", False, 3),
    ("giay-to-ngoai-quy-dinh", "Yêu cầu giấy tờ ngoài quy định", False, 4),
    ("huong-dan-chua-ro", "Hướng dẫn chưa rõ ràng, thiếu thống nhất", False, 5),
    ("cho-doi-lau", "Chờ đợi lâu tại bộ phận một cửa", False, 6),
)


def reasons_ensure(RatingReason) -> int:
    """Create the missing default reasons (texts an administrator changed are kept); returns how many."""
    existing = set(RatingReason.objects.values_list("code", flat=True))
    new = [
        RatingReason(code=code, text=text, positive=positive, order=order)
        for code, text, positive, order in DEFAULT_REASONS
        if code not in existing
    ]
    RatingReason.objects.bulk_create(new)
    return len(new)
