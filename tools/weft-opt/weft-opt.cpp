//===- weft-opt.cpp - MlirOptMain with every weft dialect and pass --------===//

#include "weft/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::weft::registerWeftPassesAndPipelines();
  mlir::DialectRegistry registry;
  mlir::weft::registerWeftDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "weft optimizer driver\n", registry));
}
