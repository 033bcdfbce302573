"""The priority groups every office knows (Luật Người cao tuổi, Luật Người khuyết tật, Pháp lệnh Ưu đãi
người có công): seeded by a data migration; offices may deactivate or reweigh them in the admin."""

PRIORITY_GROUPS = (
    # code, name, weight
    ("war-invalid", "Thương binh, người có công với cách mạng", 40),
    ("disability", "Người khuyết tật", 30),
    ("elderly", "Người cao tuổi (từ 60 tuổi)", 20),
    ("pregnant-child", "Phụ nữ mang thai, người đi cùng trẻ nhỏ dưới 6 tuổi", 20),
)


def priority_groups_ensure(model) -> None:
    """Create the groups that are missing; never overwrite what an office changed."""
    for code, name, weight in PRIORITY_GROUPS:
        model.objects.get_or_create(code=code, defaults={"name": name, "weight": weight, "is_active": True})
