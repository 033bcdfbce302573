"""Build the reproducible demo province used by `make run`. Safe to run again."""

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.demo.dossiers import demo_dossiers_build
from motcua.demo.province import DEFAULT_SEED, demo_province_build
from motcua.dossiers.workflows import ensure_default_workflows

# Data owned by other apps, loaded first when their command exists in this installation.
_OPTIONAL_LOADERS = ("load_catalog", "load_calendar_overrides", "load_message_templates")


class Command(BaseCommand):
    help = (
        "Tạo tỉnh mẫu (dữ liệu giả lập, có đánh dấu): đơn vị hành chính, ấp/khóm, cơ quan, quầy, "
        "cán bộ đủ các vai trò, công dân và tài khoản mẫu. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Hạt giống ngẫu nhiên (mặc định {DEFAULT_SEED})."
        )
        parser.add_argument("--province", default=settings.PROVINCE_CODE, help="Mã tỉnh (mặc định 96, Cà Mau).")

    def handle(self, *args, seed, province, **options):
        available = get_commands()
        for name in _OPTIONAL_LOADERS:
            if name in available:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
            else:
                self.stdout.write(f"Bỏ qua {name}: lệnh này chưa có trong bản cài đặt.")
        try:
            result = demo_province_build(seed=seed, province_code=province)
        except DomainError as exc:
            raise CommandError(exc.message)
        self._report(result)
        # The other domains' demo data builds on the province: teams and households, then dossiers.
        call_command("load_outreach_demo", seed=seed, province=province, stdout=self.stdout, stderr=self.stderr)
        self._demo_dossiers(result)
        # After the dossiers: certificates, then fees and receipts (signed), field reports, ratings.
        for name in ("load_signing_demo", "load_payments_demo", "load_fieldreports_demo", "load_ratings_demo",
                     "load_nationalsync_demo"):  # fmt: skip
            call_command(name, seed=seed, province=province, stdout=self.stdout, stderr=self.stderr)
        call_command("load_queue_demo", seed=seed, province=province, stdout=self.stdout, stderr=self.stderr)
        call_command("load_appointments_demo", seed=seed, province=province, stdout=self.stdout, stderr=self.stderr)
        call_command("load_assistant_demo", seed=seed, province=province, stdout=self.stdout, stderr=self.stderr)
        call_command("load_documents_demo", seed=seed, province=province, stdout=self.stdout, stderr=self.stderr)
        call_command("rebuild_index_rollups", stdout=self.stdout)  # the service index over all of the above

    def _demo_dossiers(self, result):
        # Dossiers need the catalog's procedures; without them the demo stops at people and accounts.
        ensure_default_workflows()
        dossiers = demo_dossiers_build(province=result.province, seed=result.seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Hồ sơ mẫu: thêm {dossiers.created} hồ sơ ({dossiers.skipped} hồ sơ đã có từ lần chạy trước)."
            )
        )

    def _report(self, result):
        write = self.stdout.write
        agencies = result.agencies
        write(
            self.style.SUCCESS(
                f"Tỉnh mẫu {result.province.name} (hạt giống {result.seed}): thêm {result.units_created} đơn vị, "
                f"{result.hamlets_created} ấp/khóm, {agencies.agencies_created} cơ quan, "
                f"{agencies.counters_created} quầy, {result.people_created} công dân."
            )
        )
        base = settings.PUBLIC_BASE_URL
        write("")
        write(f"Mở trang: {base}/")
        write(f"Trang quản trị: {base}/quan-tri/  (tài khoản quantri)")
        write("Công dân đăng nhập bằng số định danh cá nhân và mật khẩu; cán bộ bằng tên đăng nhập.")
        new = result.new_accounts
        if not new:
            write("Các tài khoản mẫu đã có từ lần chạy trước; mật khẩu chỉ in một lần khi tạo.")
            return
        write("")
        write("Tài khoản mẫu (mật khẩu chỉ hiện lần này, hãy lưu lại):")
        rows = [("Tên đăng nhập", "Mật khẩu", "Vai trò", "Phạm vi", "Họ tên")]
        rows += [(a.username, a.password, a.role, a.scope, a.full_name) for a in new]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for index, row in enumerate(rows):
            write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                write("  ".join("-" * w for w in widths))
        existing = len(result.accounts) - len(new)
        if existing:
            write(f"({existing} tài khoản mẫu khác đã có từ trước.)")
