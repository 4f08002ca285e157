"""Plain helpers every app may use: below the apps, importing none of them."""
