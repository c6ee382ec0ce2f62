"""The wheel carries the data, ontology, query library and templates, and works from anywhere."""

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_runs_from_another_directory(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("techreg-*.whl")
    env_dir = tmp_path / "venv"
    # the package comes from the wheel; the dependencies from the site-packages of the interpreter
    # running the tests (a virtual environment's or the system's), added by path so that the
    # checkout's editable install (a .pth file there) is not taken over
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(purelib) / "techreg-test-deps.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(python), "-c", "import graph; print(graph.__file__)"], cwd=elsewhere,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(env_dir)), where
    out = subprocess.run([str(env_dir / "bin" / "techreg"), "stats", "--format", "json"], cwd=elsewhere,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    stats = json.loads(out.stdout)
    assert stats["triples"]["ontology"] > 0 and stats["sources"] > 0
    listed = subprocess.run([str(env_dir / "bin" / "techreg"), "query", "--list"], cwd=elsewhere,
                            capture_output=True, text=True)
    assert "exchanges-of-reviewed-platforms" in listed.stdout
    html = elsewhere / "v.html"
    drawn = subprocess.run([str(env_dir / "bin" / "techreg"), "view", "Yunmanman", "-o", str(html)], cwd=elsewhere,
                           capture_output=True, text=True)
    assert drawn.returncode == 0, drawn.stderr
    assert "vis.Network" in html.read_text(encoding="utf-8") or "vis-network" in html.read_text(encoding="utf-8")
