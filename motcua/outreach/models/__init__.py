from .households import Household, HouseholdMember

__all__ = ["Household", "HouseholdMember"]
