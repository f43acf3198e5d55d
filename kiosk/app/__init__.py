"""The application layer: Qt-free services the composition root wires to the UI."""
