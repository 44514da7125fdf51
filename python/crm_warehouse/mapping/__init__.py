"""Map a user's export onto the raw contract with a YAML file, no code: see README "Mapping your own export".

apply_mapping(mapping_path, raw_dir, out_dir) -> MappedExtract    (raises MappingError)
python -m crm_warehouse.mapping MAPPING RAW_DIR OUT_DIR
"""

from crm_warehouse.mapping.apply import MappedExtract, apply_mapping
from crm_warehouse.mapping.problems import MappingError, Problem

__all__ = ["MappedExtract", "MappingError", "Problem", "apply_mapping"]
