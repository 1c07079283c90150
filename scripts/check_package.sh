#!/usr/bin/env bash
# The addon as OCA ships addons: a wheel `odoo-addon-zoom_training` built by whool (zoom_training/pyproject.toml)
# installs the addon under odoo/addons/ and declares its dependencies. Exits non-zero if it does not.
source "$(dirname "$0")/common.sh"
dist="$(mktemp -d)"
trap 'rm -rf "$dist"' EXIT
"$PY" -m pip wheel -q --no-deps --wheel-dir "$dist" "$REPO_ROOT/zoom_training" 2>&1 | grep -v "is ignored" || true
wheel="$(ls "$dist"/odoo_addon_zoom_training-*.whl 2>/dev/null | head -n 1)"
[ -n "$wheel" ] || die "package: no wheel was built from zoom_training/pyproject.toml"
"$PY" -m pip install -q --no-deps --no-index --target "$dist/site" "$wheel" 2>&1 | grep -v "is ignored" || true
installed="$dist/site/odoo/addons/zoom_training"
[ -f "$installed/__manifest__.py" ] || die "package: the wheel does not install odoo/addons/zoom_training"
metadata="$(ls -d "$dist"/site/odoo_addon_zoom_training-*.dist-info)/METADATA"
for requirement in "odoo==18.0" "odoo-addon-queue_job" "requests" "cryptography" "PyJWT"; do
    grep -q "^Requires-Dist: $requirement" "$metadata" || die "package: the wheel does not require $requirement"
done
for data in security/ir.model.access.csv i18n/zoom_training.pot sandbox/request_schemas.json static/description/icon.png; do
    [ -f "$installed/$data" ] || die "package: the wheel lacks $data"
done
say "package: $(basename "$wheel") builds and installs odoo/addons/zoom_training ($(find "$installed" -type f | wc -l) files)"
