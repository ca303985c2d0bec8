"""Apache Kafka in KRaft mode (one node, broker and controller in one JVM), started from Maven Central jars.

The distribution's scripts are not on Maven Central, so this resolves the class path once with
`mvn dependency:copy-dependencies` (see kafka-pom.xml) and starts the main classes directly.
Data lives under `home/data` and survives restarts.

PLAINTEXT by default. With a KafkaSecurity, as production runs it: clients authenticate with SASL
SCRAM-SHA-512 over TLS (users created when the storage is formatted), a second listener takes mutual TLS,
the broker talks to itself (inter-broker and controller traffic) over mutual TLS, and the standard
authorizer is on (ACLs; the broker and the named super user may do anything).
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import logging
import os
import secrets
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack._process import ServiceProcess
from devstack.broker import answers_metadata
from devstack.kafka_tls import KafkaCertificates, make_certificates
from devstack.ports import free_port, is_listening
from runtime.kafka import security_options
from runtime.settings import RuntimeSettings

log = logging.getLogger(__name__)

KAFKA_POM = Path(__file__).with_name("kafka-pom.xml")
LOG4J2_CONFIG = Path(__file__).with_name("kafka-log4j2.xml")
_COMPLETE_MARKER = ".complete"
SCRAM_MECHANISM = "SCRAM-SHA-512"
BROKER_PRINCIPAL = "broker"  # the broker certificate's common name: its own principal on the TLS listeners
STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"


@dataclass(frozen=True)
class KafkaSecurity:
    """TLS certificates and SCRAM-SHA-512 users for a secured LocalKafka."""

    certificates: KafkaCertificates
    users: Mapping[str, str]  # name -> password, created when the storage is formatted
    admin: str  # one of `users`, a super user (also the client certificate's name): devstack's own probes

    @classmethod
    def generate(cls, directory: Path, users: Iterable[str] = (), *, admin: str = "flywheel") -> KafkaSecurity:
        """Fresh certificates under `directory` and a random password for `admin` and each of `users`."""
        certificates = make_certificates(directory, broker_name=BROKER_PRINCIPAL, client_name=admin)
        return cls(certificates, {name: secrets.token_hex(16) for name in dict.fromkeys((admin, *users))}, admin)

    def client_settings(self, user: str | None = None) -> dict[str, str]:
        """The FLYWHEEL_KAFKA_* settings (without the bootstrap) of a SASL_SSL client logging in as `user`
        (default: the admin)."""
        name = user or self.admin
        return {
            "FLYWHEEL_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "FLYWHEEL_KAFKA_SASL_MECHANISM": SCRAM_MECHANISM,
            "FLYWHEEL_KAFKA_SASL_USERNAME": name,
            "FLYWHEEL_KAFKA_SASL_PASSWORD": self.users[name],
            "FLYWHEEL_KAFKA_SSL_CAFILE": str(self.certificates.ca_file),
        }

    def client_options(self, user: str | None = None) -> dict[str, Any]:
        """aiokafka's security keyword arguments for `user` (default: the admin)."""
        settings = {k.removeprefix("FLYWHEEL_").lower(): v for k, v in self.client_settings(user).items()}
        # Every security field given: none comes from the process environment.
        return security_options(
            RuntimeSettings.model_validate({**settings, "kafka_ssl_certfile": None, "kafka_ssl_keyfile": None})
        )


def java_binary() -> str:
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise FileNotFoundError("java not found: Kafka 4 needs a JDK/JRE 17+ (e.g. openjdk-17-jre-headless)")
    return java


def ensure_kafka_jars(lib_dir: Path) -> Path:
    """Fill `lib_dir` with Kafka and its dependencies from Maven Central, once.

    A marker file holds the pom's hash, so a changed kafka-pom.xml fetches again; a file lock lets
    `make run` and a test session share one cache safely.
    """
    pom_hash = hashlib.sha256(KAFKA_POM.read_bytes()).hexdigest()
    marker = lib_dir / _COMPLETE_MARKER

    def ready() -> bool:
        return marker.exists() and marker.read_text().strip() == pom_hash

    if ready():
        return lib_dir
    lib_dir.parent.mkdir(parents=True, exist_ok=True)
    with (lib_dir.parent / f"{lib_dir.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ready():
            return lib_dir
        mvn = shutil.which("mvn")
        if mvn is None:
            raise FileNotFoundError("mvn not found: it fetches the Kafka jars once (apt-get install maven)")
        partial = lib_dir.with_name(f"{lib_dir.name}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        log.info("fetching Kafka jars into %s (once)", lib_dir)
        started = time.monotonic()
        result = subprocess.run(
            [mvn, "-q", "-B", "-f", str(KAFKA_POM), "dependency:copy-dependencies", f"-DoutputDirectory={partial}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"fetching the Kafka jars failed:\n{result.stdout}{result.stderr}")
        (partial / _COMPLETE_MARKER).write_text(f"{pom_hash}\n")
        shutil.rmtree(lib_dir, ignore_errors=True)
        partial.rename(lib_dir)
        log.info("Kafka jars fetched in %.1fs", time.monotonic() - started)
    return lib_dir


def new_cluster_id() -> str:
    """A KRaft cluster id as Kafka's own `Uuid.randomUuid()` writes it (URL-safe base64, no padding)."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


class LocalKafka:
    def __init__(
        self,
        home: Path,
        port: int,
        controller_port: int | None = None,
        *,
        host: str = "127.0.0.1",
        lib_dir: Path | None = None,
        heap: str = "1G",
        start_timeout: float = 120.0,
        security: KafkaSecurity | None = None,
        mtls_port: int | None = None,
    ) -> None:
        """`home` holds server.properties, `data/`, `logs/` and, unless `lib_dir` says otherwise, `lib/`.
        `controller_port` None: any free port, chosen at start (clients never use it).
        `security`: `port` is a SASL_SSL listener, and `mtls_port` (None: any free port) one for mutual TLS."""
        self.home = home
        self.host = host
        self.port = port
        self.controller_port = controller_port
        self.security = security
        self.mtls_port = mtls_port
        self.lib_dir = lib_dir if lib_dir is not None else home / "lib"
        self.heap = heap
        self.start_timeout = start_timeout
        self.data_dir = home / "data"
        self.logs_dir = home / "logs"
        self.config_file = home / "server.properties"
        self._process = ServiceProcess(
            "kafka", home / "kafka.pid", self.logs_dir / "kafka.out", marker=str(self.config_file)
        )

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def mtls_bootstrap(self) -> str:
        """The mutual TLS listener (known once started)."""
        if self.security is None or self.mtls_port is None:
            raise RuntimeError("no mutual TLS listener: start a LocalKafka with security")
        return f"{self.host}:{self.mtls_port}"

    def is_running(self) -> bool:
        return self._process.is_running()

    def start(self) -> None:
        if self.is_running():
            log.info("Kafka already runs from %s", self.home)
        else:
            ensure_kafka_jars(self.lib_dir)
            self.home.mkdir(parents=True, exist_ok=True)
            self.logs_dir.mkdir(exist_ok=True)
            self.config_file.write_text(self._server_properties())
            if not (self.data_dir / "meta.properties").exists():
                self._format_storage()
            self._process.spawn(
                [
                    java_binary(),
                    f"-Xms{self.heap}",
                    f"-Xmx{self.heap}",  # a fixed heap avoids KAFKA-19890
                    "-XX:+UseG1GC",
                    "-XX:MaxGCPauseMillis=20",
                    "-Djava.awt.headless=true",
                    f"-Dlog4j2.configurationFile={LOG4J2_CONFIG}",
                    f"-Dkafka.logs.dir={self.logs_dir}",
                    "-cp",
                    self._class_path(),
                    "kafka.Kafka",
                    str(self.config_file),
                ],
                cwd=self.home,
            )
        self._process.wait_until(self._answers, self.start_timeout, "Kafka metadata answer")
        log.info("Kafka ready on %s", self.bootstrap)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (Kafka shuts down cleanly, so the next start recovers nothing), SIGKILL after `timeout`."""
        self._process.terminate(timeout)

    def kill(self) -> None:
        """SIGKILL: the broker stops mid-write, as in a crash (the next start recovers its logs)."""
        self._process.kill()

    def _server_properties(self) -> str:
        if self.controller_port is None:
            self.controller_port = free_port(self.host)
        settings = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@{self.host}:{self.controller_port}",
            "listeners": f"PLAINTEXT://{self.host}:{self.port},CONTROLLER://{self.host}:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://{self.host}:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            **(self._security_properties(self.security) if self.security else {}),
            "log.dirs": str(self.data_dir),
            # One node: every internal topic gets a single replica.
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "6",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "6",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "min.insync.replicas": "1",
            "default.replication.factor": "1",
            "num.partitions": "6",
            "auto.create.topics.enable": "false",
            "group.initial.rebalance.delay.ms": "0",
        }
        lines = ["# Written by devstack.kafka on every start; edits are overwritten."]
        lines += [f"{key}={value}" for key, value in settings.items()]
        return "\n".join(lines) + "\n"

    def _security_properties(self, security: KafkaSecurity) -> dict[str, str]:
        if self.mtls_port is None:
            self.mtls_port = free_port(self.host)
        certificates = security.certificates
        return {
            "listeners": f"SASL_SSL://{self.host}:{self.port},SSL://{self.host}:{self.mtls_port},"
            f"CONTROLLER://{self.host}:{self.controller_port}",
            "advertised.listeners": f"SASL_SSL://{self.host}:{self.port},SSL://{self.host}:{self.mtls_port}",
            "listener.security.protocol.map": "SASL_SSL:SASL_SSL,SSL:SSL,CONTROLLER:SSL",
            # SCRAM credentials live in the cluster metadata, which the controller must read before anyone
            # can log in: the broker's own connections use its certificate instead.
            "inter.broker.listener.name": "SSL",
            "ssl.client.auth": "required",  # the TLS listeners (the SASL one authenticates by SASL)
            "listener.name.sasl_ssl.ssl.client.auth": "none",
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": str(certificates.broker_keystore),
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": str(certificates.ca_file),
            "ssl.principal.mapping.rules": "RULE:^CN=([^,]+)$/$1/,DEFAULT",
            "sasl.enabled.mechanisms": SCRAM_MECHANISM,
            "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": (
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"
            ),
            "authorizer.class.name": STANDARD_AUTHORIZER,
            "super.users": f"User:{BROKER_PRINCIPAL};User:{security.admin}",
        }

    def _format_storage(self) -> None:
        cluster_id = new_cluster_id()
        log.info("formatting Kafka storage in %s (cluster id %s)", self.data_dir, cluster_id)
        result = subprocess.run(
            [
                java_binary(),
                "-cp",
                self._class_path(),
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                cluster_id,
                "--config",
                str(self.config_file),
                *self._scram_users(),
            ],
            cwd=self.home,
            capture_output=True,
            check=False,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"Kafka storage format failed:\n{result.stdout}{result.stderr}")

    def _scram_users(self) -> list[str]:
        """StorageTool's --add-scram arguments: the users exist from the cluster's first metadata on."""
        users = self.security.users if self.security else {}
        return [
            arg
            for name, password in users.items()
            for arg in ("--add-scram", f"{SCRAM_MECHANISM}=[name={name},password={password}]")
        ]

    def _class_path(self) -> str:
        return str(self.lib_dir / "*")  # the JVM expands the wildcard itself

    def _answers(self) -> bool:
        security = self.security.client_options() if self.security else None
        return is_listening(self.host, self.port) and answers_metadata(self.bootstrap, security=security)
