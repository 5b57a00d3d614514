"""
The real service, as the Java and Node clients' tests run it: the packaged jar on an embedded PostgreSQL, started
by the Java client's ServiceLauncher (its test classpath holds the embedded PostgreSQL). It stops when this
process closes the launcher's standard input, or dies.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx

REPOSITORY = Path(__file__).resolve().parents[4]
JAVA_CLIENT = REPOSITORY / "clients" / "java"
JAR = REPOSITORY / "target" / "quarkus-app" / "quarkus-run.jar"

#: The service's settings for these tests: a grace period short enough to wait out, and no scheduled pass,
#: so that each pass a test runs is its own.
SETTINGS = {
    "CACHEKEEPER_CLEANUP_GRACE_PERIOD": "3s",
    "CACHEKEEPER_CLEANUP_ENABLED": "false",
    "CACHEKEEPER_CLEANUP_BATCH_SIZE": "200",
}
GRACE_SECONDS = 3.0


@dataclass
class Service:
    base_url: str
    password: str
    database_url: str
    launcher: subprocess.Popen[str]

    def client(self, user: str) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, auth=(user, self.password), timeout=60.0)

    def stop(self) -> None:
        assert self.launcher.stdin is not None
        self.launcher.stdin.close()
        self.launcher.wait(60)


def start(settings: dict[str, str] | None = None) -> Service:
    """Starts the service with ``SETTINGS`` and ``settings`` (CACHEKEEPER_* variables) over them."""
    classpath_file = JAVA_CLIENT / "target" / "test-classpath.txt"
    if not JAR.exists() or not classpath_file.exists():
        raise RuntimeError(
            "build the service and the Java client first: ./mvnw -B verify && "
            "./mvnw -B -f clients/java/pom.xml verify (see clients/python/README.md)"
        )
    classpath = os.pathsep.join(
        [
            str(JAVA_CLIENT / "target" / "test-classes"),
            str(JAVA_CLIENT / "target" / "classes"),
            classpath_file.read_text().strip(),
        ]
    )
    java = str(Path(os.environ["JAVA_HOME"]) / "bin" / "java") if "JAVA_HOME" in os.environ else "java"
    launcher = subprocess.Popen(
        [java, "-cp", classpath, f"-Dcachekeeper.jar={JAR}", "io.cachekeeper.client.ServiceLauncher"],
        cwd=JAVA_CLIENT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **SETTINGS, **(settings or {})},
    )
    assert launcher.stdout is not None
    for line in launcher.stdout:
        if line.startswith("READY "):
            _, base_url, password, database_url = line.split()
            return Service(base_url, password, database_url, launcher)
    raise RuntimeError(f"the service launcher exited ({launcher.wait()}) without starting the service")
