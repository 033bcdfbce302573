from .codes import OneTimeCode, OtpPurpose

__all__ = ["OneTimeCode", "OtpPurpose"]
