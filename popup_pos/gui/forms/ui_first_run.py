# Automatically generated from ui/first_run.ui by packaging/compile_forms.py - do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'first_run.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QDialog, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_FirstRunDialog(object):
    def setupUi(self, FirstRunDialog):
        if not FirstRunDialog.objectName():
            FirstRunDialog.setObjectName(u"FirstRunDialog")
        FirstRunDialog.resize(620, 560)
        FirstRunDialog.setModal(True)
        self.mainLayout = QVBoxLayout(FirstRunDialog)
        self.mainLayout.setSpacing(14)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(28, 28, 28, 24)
        self.titleLabel = QLabel(FirstRunDialog)
        self.titleLabel.setObjectName(u"titleLabel")
        font = QFont()
        font.setPointSize(20)
        font.setBold(True)
        self.titleLabel.setFont(font)

        self.mainLayout.addWidget(self.titleLabel)

        self.introLabel = QLabel(FirstRunDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.introLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setHorizontalSpacing(16)
        self.formLayout.setVerticalSpacing(12)
        self.nameLabel = QLabel(FirstRunDialog)
        self.nameLabel.setObjectName(u"nameLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.nameEdit = QLineEdit(FirstRunDialog)
        self.nameEdit.setObjectName(u"nameEdit")
        self.nameEdit.setMinimumSize(QSize(0, 48))
        self.nameEdit.setMaxLength(100)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.nameEdit)

        self.pinLabel = QLabel(FirstRunDialog)
        self.pinLabel.setObjectName(u"pinLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.pinLabel)

        self.pinEdit = QLineEdit(FirstRunDialog)
        self.pinEdit.setObjectName(u"pinEdit")
        self.pinEdit.setMinimumSize(QSize(0, 48))
        self.pinEdit.setMaxLength(8)
        self.pinEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.pinEdit)

        self.confirmLabel = QLabel(FirstRunDialog)
        self.confirmLabel.setObjectName(u"confirmLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.confirmLabel)

        self.confirmEdit = QLineEdit(FirstRunDialog)
        self.confirmEdit.setObjectName(u"confirmEdit")
        self.confirmEdit.setMinimumSize(QSize(0, 48))
        self.confirmEdit.setMaxLength(8)
        self.confirmEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.confirmEdit)


        self.mainLayout.addLayout(self.formLayout)

        self.notice = QLabel(FirstRunDialog)
        self.notice.setObjectName(u"notice")
        self.notice.setMinimumSize(QSize(0, 44))

        self.mainLayout.addWidget(self.notice)

        self.verticalSpacer = QSpacerItem(20, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.verticalSpacer)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setSpacing(12)
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.buttonSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonLayout.addItem(self.buttonSpacer)

        self.cancelButton = QPushButton(FirstRunDialog)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setMinimumSize(QSize(120, 56))
        self.cancelButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.cancelButton)

        self.okButton = QPushButton(FirstRunDialog)
        self.okButton.setObjectName(u"okButton")
        self.okButton.setMinimumSize(QSize(200, 56))
        font1 = QFont()
        font1.setPointSize(14)
        font1.setBold(True)
        self.okButton.setFont(font1)

        self.buttonLayout.addWidget(self.okButton)


        self.mainLayout.addLayout(self.buttonLayout)

#if QT_CONFIG(shortcut)
        self.nameLabel.setBuddy(self.nameEdit)
        self.pinLabel.setBuddy(self.pinEdit)
        self.confirmLabel.setBuddy(self.confirmEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.nameEdit, self.pinEdit)
        QWidget.setTabOrder(self.pinEdit, self.confirmEdit)
        QWidget.setTabOrder(self.confirmEdit, self.okButton)
        QWidget.setTabOrder(self.okButton, self.cancelButton)

        self.retranslateUi(FirstRunDialog)

        self.okButton.setDefault(True)

    # setupUi

    def retranslateUi(self, FirstRunDialog):
        FirstRunDialog.setWindowTitle(QCoreApplication.translate("FirstRunDialog", u"Welcome to popup-pos", None))
        self.titleLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Welcome to popup-pos", None))
        self.introLabel.setText(QCoreApplication.translate("FirstRunDialog", u"First, set up the organizer: the person who opens events, adds sellers and helpers, and changes settings. The organizer's PIN is 6 to 8 digits; sellers and helpers get 4 to 8.", None))
        self.nameLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Your &name", None))
        self.nameEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"e.g. Sam Rivera", None))
        self.pinLabel.setText(QCoreApplication.translate("FirstRunDialog", u"&PIN", None))
        self.pinEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"6 to 8 digits", None))
        self.confirmLabel.setText(QCoreApplication.translate("FirstRunDialog", u"PIN a&gain", None))
        self.confirmEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"the same PIN", None))
        self.notice.setText("")
        self.cancelButton.setText(QCoreApplication.translate("FirstRunDialog", u"Quit", None))
        self.okButton.setText(QCoreApplication.translate("FirstRunDialog", u"Create organizer", None))
    # retranslateUi

