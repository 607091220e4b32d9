"""代办: residents without WeChat, registered and served by a secretary or grid worker in scope."""
