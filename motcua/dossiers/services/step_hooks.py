"""Hooks that apps above dossiers add to workflow actions, without dossiers importing them.

Dossiers sits below signing (and payments) in the layers (DESIGN.md), yet approving a result must
sign it and returning a result must check the signature. The higher app registers a hook in its
`AppConfig.ready`; `workflow.dossier_act` runs the hooks of the action inside its atomic block,
after the action's own handler, so a hook that raises DomainError undoes the whole action.

A hook gets the `ActionContext` and may change the dossier in memory (`ctx.fields`), add to
`ctx.data`, `ctx.notices`, and append to `ctx.on_rollback` callables that undo work done outside
the database (a stored file) or report the failure; those run after the transaction rolled back.

Also here: which signature a dossier's result needs (`result_signature_of`), read from the
procedure version the dossier was received under, so that a rule added later does not reach back.
"""

from __future__ import annotations

from collections.abc import Callable

from motcua.catalog.models import ResultSignature

from ..models import Dossier

Hook = Callable[..., None]
_HOOKS: dict[str, list[Hook]] = {}


def step_hook_register(action: str, hook: Hook) -> None:
    """Run `hook(ctx)` after `action`'s handler. Registering the same hook twice is a no-op."""
    hooks = _HOOKS.setdefault(action, [])
    if hook not in hooks:
        hooks.append(hook)


def step_hooks_for(action: str) -> list[Hook]:
    return list(_HOOKS.get(action, ()))


def result_signature_of(dossier: Dossier) -> str:
    """`none`, `leader` or `leader_and_seal` for this dossier (its procedure snapshot decides).

    Dossiers received before the procedure carried the rule have no key in their snapshot: they
    need no digital signature, as when they were received.
    """
    value = (dossier.procedure_snapshot or {}).get("result_signature") or ResultSignature.NONE
    return value if value in ResultSignature.values else ResultSignature.NONE


def result_needs_signature(dossier: Dossier) -> bool:
    return result_signature_of(dossier) != ResultSignature.NONE
