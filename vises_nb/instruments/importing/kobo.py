"""KoboToolbox exports (formpack): XLSX or CSV, XML names or labels, group paths with `/`.

Meta columns start with `_` (`_uuid`, `_submission_time`, `_index`...) plus
`__version__`; repeat groups come as extra XLSX sheets whose rows point at their
parent by `_parent_table_name` / `_parent_index` and at the submission by
`_submission__uuid`.
"""

from __future__ import annotations

import re

from vises_nb.instruments.importing.layout import Layout, lower_set

META = frozenset({"__version__", "_id", "_uuid", "_submission_time", "_validation_status",
                  "_notes", "_status", "_submitted_by", "_tags", "_index", "_parent_index",
                  "_parent_table_name", "_submission__id", "_submission__uuid",
                  "_submission__submission_time", "_submission__validation_status",
                  "_submission__notes", "_submission__status", "_submission__submitted_by",
                  "_submission___version__", "_submission__tags", "meta/instanceid",
                  "meta/deprecatedid", "meta/rootuuid", "meta/instancename", "formhub/uuid",
                  "_version_", "_attachments", "_geolocation", "_xform_id_string",
                  # the `meta` group's fields when groups are left out of the headers
                  "instanceid", "deprecatedid", "rootuuid", "instancename"})
# the `meta` and `formhub` groups' fields joined by whatever group separator was chosen
META_GROUPS = re.compile(r"(meta|formhub)\W{1,3}(instanceid|deprecatedid|rootuuid|instancename"
                         r"|uuid)")


def _claims(headers: list[str]) -> bool:
    return bool(lower_set(headers) & {"_uuid", "_submission_time", "_index", "__version__"})


LAYOUT = Layout(
    name="KoboToolbox", meta=META, separators=("/",), submission_keys=("_uuid", "_id"),
    version_columns=("_version_",), meta_prefixes=("_", "$"), claims=_claims,
    meta_pattern=META_GROUPS,
)
