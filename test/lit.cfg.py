# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "weft"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".weft", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "reference",
                   "FakeCuda"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.weft_obj_root, "test")

llvm_config.use_default_substitutions()
# scripts/sanitize names its LeakSanitizer suppressions here.
llvm_config.with_system_environment(["LSAN_OPTIONS"])
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

config.substitutions.append(("%python", config.python))
config.substitutions.append(("%weft_src_root", config.weft_src_root))
config.substitutions.append(("%weft_tools_dir", config.weft_tools_dir))
config.substitutions.append(
    ("%examples", os.path.join(config.weft_src_root, "examples")))
config.substitutions.append(
    ("%reference", os.path.join(config.weft_src_root, "test", "reference")))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))

llvm_config.add_tool_substitutions(
    # `=` keeps `--emit=weft` from being taken for the tool.
    [ToolSubst("weft", unresolved="fatal", pre=r".-^/\<="),
     ToolSubst("weft-opt", unresolved="fatal")],
    [config.weft_tools_dir])

if config.ptxas and os.path.exists(config.ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.ptxas))
# The stand-in CUDA driver (test/FakeCuda) that runs no kernel.
config.substitutions.append(("%fake_cuda_driver", config.fake_cuda_driver))
config.substitutions.append(
    ("%exit1", config.python + " " + os.path.join(config.weft_src_root, "test", "expect_exit_1.py")))

# A pseudo-terminal for the REPL's line editing (util-linux `script`).
import shutil
if shutil.which("script"):
    config.available_features.add("script")
