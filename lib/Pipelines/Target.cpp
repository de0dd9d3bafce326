//===- Target.cpp - The tables of targets and stages ----------------------===//

#include "weft/Pipelines/Target.h"

#include "llvm/ADT/STLExtras.h"
#include <string>

using namespace mlir::weft;

namespace {
struct TargetRow {
  Target target;
  llvm::StringLiteral name;
};

const TargetRow targets[] = {
    {Target::CPU, "cpu"},
    {Target::CUDA, "cuda"},
};

struct StageRow {
  Stage stage;
  llvm::StringLiteral name;
  /// Whether the CPU and the cuda target compile through the stage.
  bool cpu, cuda;
};

/// In pipeline order.
const StageRow stages[] = {
    {Stage::AST, "ast", true, true},
    {Stage::Weft, "weft", true, true},
    {Stage::Fused, "fused", true, true},
    {Stage::Linalg, "linalg", true, true},
    {Stage::Loops, "loops", true, false},
    {Stage::GPU, "gpu", false, true},
    {Stage::NVVM, "nvvm", false, true},
    {Stage::LLVMMLIR, "llvm-mlir", true, true},
    {Stage::LLVM, "llvm", true, true},
    {Stage::Asm, "asm", true, true},
    {Stage::PTX, "ptx", false, true},
};

const StageRow &rowOf(Stage stage) {
  const auto *row = llvm::find_if(
      stages, [&](const StageRow &row) { return row.stage == stage; });
  assert(row != std::end(stages) && "every stage has a row");
  return *row;
}
} // namespace

llvm::StringRef mlir::weft::targetName(Target target) {
  for (const TargetRow &row : targets)
    if (row.target == target)
      return row.name;
  llvm_unreachable("every target has a row");
}

std::optional<Target> mlir::weft::parseTarget(llvm::StringRef name) {
  for (const TargetRow &row : targets)
    if (row.name == name)
      return row.target;
  return std::nullopt;
}

llvm::StringRef mlir::weft::stageName(Stage stage) { return rowOf(stage).name; }

std::optional<Stage> mlir::weft::parseStage(llvm::StringRef name) {
  for (const StageRow &row : stages)
    if (row.name == name)
      return row.stage;
  return std::nullopt;
}

llvm::StringRef mlir::weft::stageNames() {
  static const std::string names = [] {
    std::string joined;
    for (const StageRow &row : stages)
      joined += (joined.empty() ? "" : "|") + row.name.str();
    return joined;
  }();
  return names;
}

bool mlir::weft::hasStage(Target target, Stage stage) {
  const StageRow &row = rowOf(stage);
  return target == Target::CUDA ? row.cuda : row.cpu;
}
