"""Builds candor's extension (the CMake target candor_python) with the project's own CMake,
so that `pip install ./bindings/python` compiles exactly what `cmake --build` does.

Environment: CANDOR_BUILD_DIR, where CMake builds (default: setuptools' build_temp);
CANDOR_CMAKE_ARGS, more arguments for CMake (e.g. -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)."""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent  # the Candor source tree


def version():
    """The one version, written in the top-level CMakeLists.txt."""
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(candor VERSION ([0-9.]+)", text).group(1)


class cmake_build(build_ext):
    def build_extension(self, ext):
        build = Path(os.environ.get("CANDOR_BUILD_DIR") or Path(self.build_temp).resolve() / "cmake")
        build.mkdir(parents=True, exist_ok=True)
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
            "-DCANDOR_TESTS=OFF", "-DCANDOR_EXAMPLES=OFF", "-DCANDOR_INSTALL=OFF",
            "-DCANDOR_BINDINGS=ON", f"-DPython3_EXECUTABLE={sys.executable}",
        ] + shlex.split(os.environ.get("CANDOR_CMAKE_ARGS", ""))
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        subprocess.run(configure, check=True)
        jobs = str(os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", str(build), "--target", "candor_python", "-j", jobs], check=True)
        built = next((build / "bindings" / "python" / "candor").glob("_candor*.so"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    version=version(),
    ext_modules=[Extension("candor._candor", sources=[])],
    cmdclass={"build_ext": cmake_build},
)
