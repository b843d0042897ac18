"""The REST API (`/api/v1/`): published material for everyone, the desk's workflow for staff.

What readers may see comes from `claims.selectors`; every state change goes through
`claims.workflow`. The modules here only translate between HTTP and those two.
"""
